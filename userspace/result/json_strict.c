// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * A result file's text to a json-c tree, strictly JSON: json-c takes NaN,
 * Infinity, bare words and single quotes even in strict mode, so a lexical
 * pass refuses them first, and trailing data after the value is an error.
 * Every error is one line naming the file (and the line where known).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "result/file.h"

/* Reads the whole file; NULL with @err set on failure. */
char *gvb_slurp(const char *path, size_t *lenp, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	size_t len = 0, cap = 0, n;
	char *buf = NULL, *nbuf;

	if (!f) {
		gvb_seterr(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			nbuf = realloc(buf, cap + 1);
			if (!nbuf) {
				gvb_seterr(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			buf = nbuf;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	if (ferror(f)) {
		gvb_seterr(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
		goto fail;
	}
	fclose(f);
	buf[len] = '\0';
	*lenp = len;
	return buf;
fail:
	free(buf);
	fclose(f);
	return NULL;
}

/*
 * What json-c accepts even in strict mode but JSON does not: NaN, Infinity
 * and other bare words, and single-quoted strings. 0, or -1 with @err set.
 */
static int gvb_json_lex(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	static const char *const words[] = { "true", "false", "null" };
	const unsigned int nwords = sizeof(words) / sizeof(words[0]);
	unsigned int line = 1, k;
	bool in_str = false;
	size_t i, n;

	for (i = 0; i < len; i++) {
		char c = text[i];

		line += c == '\n';
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
			continue;
		}
		if (c == '"') {
			in_str = true;
		} else if (c == '\'') {
			gvb_seterr(err, errlen, "%s: not valid JSON (line %u): a single quote (JSON strings take double quotes)",
				   path, line);
			return -1;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			for (n = i; n < len && ((text[n] >= 'a' && text[n] <= 'z') ||
						(text[n] >= 'A' && text[n] <= 'Z')); n++)
				;
			/* The exponent of a number: json-c checks what follows. */
			if (n - i == 1 && (c == 'e' || c == 'E') && i && text[i - 1] >= '0' &&
			    text[i - 1] <= '9')
				continue;
			/* A word cut by the end of the file is json-c's to report as such. */
			for (k = 0; k < nwords; k++)
				if ((n - i == strlen(words[k]) || (n == len && n - i < strlen(words[k]))) &&
				    !strncmp(text + i, words[k], n - i))
					break;
			if (k == nwords) {
				gvb_seterr(err, errlen, "%s: not valid JSON (line %u): '%.*s' (JSON has no NaN, Infinity or bare words; a result writes null)",
					   path, line, (int)(n - i < 20 ? n - i : 20), text + i);
				return -1;
			}
			i = n - 1;
		}
	}
	return 0;
}

struct json_object *gvb_json_parse(const char *path, const char *text, size_t len, char *err,
				   size_t errlen)
{
	struct json_tokener *tok = json_tokener_new();
	enum json_tokener_error jerr;
	struct json_object *root;
	size_t end, i;
	unsigned int line = 1;

	if (!tok) {
		gvb_seterr(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (gvb_json_lex(path, text, len, err, errlen)) {
		json_tokener_free(tok);
		return NULL;
	}
	/* Strict: no trailing commas; gvb_json_lex() refuses NaN and single quotes first. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	if (len > INT_MAX) {
		gvb_seterr(err, errlen, "%s: file too large", path);
		json_tokener_free(tok);
		return NULL;
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	for (i = 0; i < end && i < len; i++)
		line += text[i] == '\n';
	if (jerr == json_tokener_continue) {
		gvb_seterr(err, errlen, "%s: not valid JSON: unexpected end of file", path);
		return NULL;
	}
	if (jerr != json_tokener_success) {
		gvb_seterr(err, errlen, "%s: not valid JSON (line %u): %s", path, line,
			   json_tokener_error_desc(jerr));
		return NULL;
	}
	/* json-c gives a top-level null as no object at all. */
	if (!root) {
		gvb_seterr(err, errlen, "%s: not a gpuvm-bench result (the top level is null, "
			   "expected an object)", path);
		return NULL;
	}
	for (i = end; i < len; i++) {
		if (!strchr(" \t\r\n", text[i])) {
			gvb_seterr(err, errlen, "%s: not valid JSON (line %u): trailing data",
				   path, line);
			json_object_put(root);
			return NULL;
		}
	}
	return root;
}

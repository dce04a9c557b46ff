/* Optional compiled speed-ups: sentences, words and syllables (lgcontent.text), the quick
 * HTML token reader (lgcontent.loaders.html_tokens), the HTML page builder
 * (lgcontent.loaders.html) and SourceText (lgcontent.document).
 *
 * Splitting every block into sentences and counting their words and syllables is the
 * largest single share of a check (about a sixth of it). This module does the same in C
 * and gives the same results, character for character: lgcontent/text.py holds the
 * reference in Python, which runs wherever this module was not built, and the tests hold
 * the two alike. What is hard to say twice (whether a full stop after a word that is not
 * plain ASCII ends a sentence, and such words' syllables) is left to the Python code,
 * called back from here.
 *
 * Words are what the regex [^\W_]+(?:['’.\-&][^\W_]+)* finds: Python's regex engine reads
 * [^\W_] as Py_UNICODE_ISALNUM and \s as Py_UNICODE_ISSPACE, as this module does.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdlib.h>
#include <string.h>

/* Set once by configure(): the Sentence type, the Python syllable counter (for words
 * that are not ASCII), the full stop test, and the syllable exceptions. */
static PyObject *sentence_type = NULL;
static PyObject *fallback_syllables = NULL;
static PyObject *ends_sentence = NULL;
static PyObject *abbreviations = NULL; /* words that end with a full stop without ending a sentence */

#define MAX_WORD 64 /* longer ASCII words go to the Python counter */

typedef struct {
    char word[MAX_WORD];
    Py_ssize_t length;
    long count;
} Exception_;

static Exception_ *exceptions = NULL;
static Py_ssize_t n_exceptions = 0;

static inline int is_ascii_alpha(Py_UCS4 c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int is_ascii_digit(Py_UCS4 c) { return c >= '0' && c <= '9'; }
static inline int is_ascii_alnum(Py_UCS4 c) { return is_ascii_alpha(c) || is_ascii_digit(c); }

/* Py_UNICODE_ISALNUM, without its table lookups for ASCII (most of every page). */
static inline int is_alnum(Py_UCS4 c)
{
    return c < 128 ? is_ascii_alnum(c) : Py_UNICODE_ISALNUM(c);
}
static inline int is_stop(Py_UCS4 c) { return c == '.' || c == '!' || c == '?' || c == 0x2026; }
static inline int is_closer(Py_UCS4 c)
{
    return c == '"' || c == '\'' || c == 0x201D || c == 0x2019 || c == ')' || c == ']';
}
static inline int is_joiner(Py_UCS4 c)
{
    return c == '\'' || c == 0x2019 || c == '.' || c == '-' || c == '&';
}
static inline int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}
static inline int ends_with(const char *w, Py_ssize_t n, const char *suffix)
{
    Py_ssize_t k = (Py_ssize_t)strlen(suffix);
    return n >= k && memcmp(w + n - k, suffix, (size_t)k) == 0;
}

/* Exceptions are kept in order of length, then of their bytes, to be found by halving. */
static int compare_word(const char *a, Py_ssize_t a_length, const char *b, Py_ssize_t b_length)
{
    if (a_length != b_length) return a_length < b_length ? -1 : 1;
    return memcmp(a, b, (size_t)a_length);
}

static int compare_exceptions(const void *a, const void *b)
{
    const Exception_ *x = a, *y = b;
    return compare_word(x->word, x->length, y->word, y->length);
}

static long exception_count(const char *w, Py_ssize_t n)
{
    Py_ssize_t low = 0, high = n_exceptions;
    while (low < high) {
        Py_ssize_t middle = (low + high) / 2;
        int order = compare_word(exceptions[middle].word, exceptions[middle].length, w, n);
        if (order == 0) return exceptions[middle].count;
        if (order < 0) low = middle + 1;
        else high = middle;
    }
    return -1;
}

/* _SPLIT_PAIRS.findall(w): vowel pairs usually said as two syllables, found left to
 * right without overlapping, each place trying the regex's choices in its order:
 * [^t]i[ao] | ua | uo | eo(?!u) | ii | iet | ience | ium | ias?$ */
static long split_pairs(const char *w, Py_ssize_t n)
{
    long found = 0;
    Py_ssize_t p = 0;
    while (p < n) {
        char c = w[p], d = p + 1 < n ? w[p + 1] : 0, e = p + 2 < n ? w[p + 2] : 0;
        Py_ssize_t length = 0;
        if (c != 't' && d == 'i' && (e == 'a' || e == 'o')) length = 3;
        else if (c == 'u' && (d == 'a' || d == 'o')) length = 2;
        else if (c == 'e' && d == 'o' && e != 'u') length = 2;
        else if (c == 'i') {
            if (d == 'i') length = 2;
            else if (d == 'e' && e == 't') length = 3;
            else if (d == 'e' && e == 'n' && p + 4 < n && w[p + 3] == 'c' && w[p + 4] == 'e') length = 5;
            else if (d == 'u' && e == 'm') length = 3;
            else if (d == 'a' && e == 's' && p + 3 == n) length = 3;
            else if (d == 'a' && p + 2 == n) length = 2;
        }
        if (length) {
            found++;
            p += length;
        }
        else p++;
    }
    return found;
}

/* _NOT_SPLIT.search(w): [ct]ia[ln] | [stgn]ion | [cgxl]ious | tia$ */
static int not_split(const char *w, Py_ssize_t n)
{
    for (Py_ssize_t p = 1; p + 2 < n; p++) {
        if (w[p] != 'i') continue;
        char before = w[p - 1], next = w[p + 1], last = w[p + 2];
        if ((before == 'c' || before == 't') && next == 'a' && (last == 'l' || last == 'n')) return 1;
        if ((before == 's' || before == 't' || before == 'g' || before == 'n') && next == 'o' && last == 'n')
            return 1;
        if ((before == 'c' || before == 'g' || before == 'x' || before == 'l') && next == 'o' && last == 'u'
            && p + 3 < n && w[p + 3] == 's')
            return 1;
    }
    return n >= 3 && w[n - 3] == 't' && w[n - 2] == 'i' && w[n - 1] == 'a';
}

/* syllables() of text.py for a word of lower-case ASCII with the quotes and full stops
 * at its ends already stripped. */
static long ascii_syllables(const char *w, Py_ssize_t n)
{
    if (n == 0) return 0;
    long known = exception_count(w, n);
    if (known >= 0) return known;
    int letters_only = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (w[i] < 'a' || w[i] > 'z') { letters_only = 0; break; }
    }
    if (!letters_only) { /* each run of letters counts, and one more for each number */
        long total = 0;
        Py_ssize_t i = 0;
        while (i < n) {
            Py_ssize_t start = i;
            if (w[i] >= 'a' && w[i] <= 'z') {
                while (i < n && w[i] >= 'a' && w[i] <= 'z') i++;
                total += ascii_syllables(w + start, i - start);
            }
            else if (w[i] >= '0' && w[i] <= '9') {
                while (i < n && w[i] >= '0' && w[i] <= '9') i++;
                total += 1;
            }
            else i++;
        }
        return total > 1 ? total : 1;
    }
    if (w[n - 1] == 's') {
        known = exception_count(w, n - 1);
        if (known >= 0) return known;
    }
    if (n <= 3) return 1;
    const char *core = w[0] == 'y' ? w + 1 : w; /* a leading y is a consonant ("yes") */
    Py_ssize_t core_n = w[0] == 'y' ? n - 1 : n;
    long count = 0;
    for (Py_ssize_t i = 0; i < core_n; i++) {
        if (is_vowel(core[i]) && (i == 0 || !is_vowel(core[i - 1]))) count++;
    }
    if (w[n - 1] == 'e') {
        int sounded_le = n >= 3 && w[n - 2] == 'l' && !is_vowel(w[n - 3]);
        if (!ends_with(w, n, "ee") && !ends_with(w, n, "ye") && !sounded_le) count--;
    }
    else if (ends_with(w, n, "es")) {
        char before = n >= 3 ? w[n - 3] : 0;
        int sounded = (before && strchr("sxzcg", before) != NULL)
                      || (before == 'h' && n >= 4 && (w[n - 4] == 'c' || w[n - 4] == 's'))
                      || (before == 'l' && n >= 4 && !is_vowel(w[n - 4]));
        if (!sounded) count--;
    }
    else if (ends_with(w, n, "ed")) {
        if (!(n >= 3 && (w[n - 3] == 't' || w[n - 3] == 'd'))) count--;
    }
    /* "lately", "statement": an e before these endings, after a consonant, is silent.
     * No word has two of the endings, so the first found is the only one. */
    Py_ssize_t ending = ends_with(w, n, "ly") ? 2 : ends_with(w, n, "ment") ? 4 : ends_with(w, n, "ments") ? 5
                        : ends_with(w, n, "ful") ? 3 : ends_with(w, n, "ness") ? 4 : ends_with(w, n, "less") ? 4 : 0;
    if (ending && n >= ending + 2 && w[n - ending - 1] == 'e' && !is_vowel(w[n - ending - 2])) count--;
    if (!not_split(w, n)) count += split_pairs(w, n);
    return count > 1 ? count : 1;
}

/* Copy text[start:start+n] into buffer in ASCII lower case: 0 if it is longer than
 * MAX_WORD or not all ASCII (then the Python code decides). */
static int copy_ascii_lower(int kind, const void *data, Py_ssize_t start, Py_ssize_t n, char *buffer)
{
    if (n > MAX_WORD) return 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, start + i);
        if (c >= 128) return 0;
        buffer[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    return 1;
}

/* Syllables of text[start:end]: in C when the word is ASCII, else by the Python counter. */
static long word_syllables(PyObject *text, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    char buffer[MAX_WORD];
    Py_ssize_t n = end - start;
    if (copy_ascii_lower(kind, data, start, n, buffer)) {
        Py_ssize_t first = 0;
        while (first < n && (buffer[first] == '\'' || buffer[first] == '.')) first++;
        while (n > first && (buffer[n - 1] == '\'' || buffer[n - 1] == '.')) n--;
        return ascii_syllables(buffer + first, n - first);
    }
    PyObject *word = PyUnicode_Substring(text, start, end);
    if (word == NULL) return -1;
    PyObject *count = PyObject_CallOneArg(fallback_syllables, word);
    Py_DECREF(word);
    if (count == NULL) return -1;
    long value = PyLong_AsLong(count);
    Py_DECREF(count);
    return value;
}

/* Add the sentence text[begin:end], white space trimmed, unless it is only white space. */
static int append_sentence(PyObject *result, PyObject *text, int kind, const void *data,
                           Py_ssize_t begin, Py_ssize_t end)
{
    Py_ssize_t s = begin, e = end;
    while (s < e && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, s))) s++;
    while (e > s && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, e - 1))) e--;
    if (s == e) return 0;
    long n_words = 0, n_syllables = 0;
    Py_ssize_t i = s;
    while (i < e) {
        if (!is_alnum(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t word_start = i;
        for (;;) {
            while (i < e && is_alnum(PyUnicode_READ(kind, data, i))) i++;
            if (i + 1 < e && is_joiner(PyUnicode_READ(kind, data, i))
                && is_alnum(PyUnicode_READ(kind, data, i + 1))) {
                i++;
                continue;
            }
            break;
        }
        long value = word_syllables(text, kind, data, word_start, i);
        if (value == -1 && PyErr_Occurred()) return -1;
        n_words++;
        n_syllables += value;
    }
    /* A Sentence made as tuple.__new__ makes an instance of a tuple subclass (Sentence is a
     * NamedTuple, whose own __new__ only passes its fields on): without a Python call. */
    PyObject *fields[5] = {PyLong_FromSsize_t(s), PyLong_FromSsize_t(e), PyUnicode_Substring(text, s, e),
                           PyLong_FromLong(n_words), PyLong_FromLong(n_syllables)};
    PyTypeObject *type = (PyTypeObject *)sentence_type;
    PyObject *sentence = NULL;
    if (fields[0] && fields[1] && fields[2] && fields[3] && fields[4]) sentence = type->tp_alloc(type, 5);
    if (sentence == NULL) {
        for (int k = 0; k < 5; k++) Py_XDECREF(fields[k]);
        return -1;
    }
    for (int k = 0; k < 5; k++) PyTuple_SET_ITEM(sentence, k, fields[k]);
    int failed = PyList_Append(result, sentence);
    Py_DECREF(sentence);
    return failed;
}

/* text._ends_sentence for a full stop after a word of ASCII: 1 or 0, -1 on an error, or
 * -2 when the word before it is not ASCII (then text.py is asked). */
static int ascii_full_stop_ends(PyObject *text, Py_ssize_t begin, Py_ssize_t end)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t space = begin - 1; /* the word runs from the last space or line break */
    while (space >= 0 && PyUnicode_READ(kind, data, space) != ' ' && PyUnicode_READ(kind, data, space) != '\n')
        space--;
    Py_ssize_t length = begin - space - 1;
    char token[MAX_WORD];
    if (!copy_ascii_lower(kind, data, space + 1, length, token)) return -2;
    Py_ssize_t first = 0; /* opening brackets and quotes are not part of the word */
    while (first < length && (token[first] == '(' || token[first] == '"' || token[first] == '\'')) first++;
    const char *word = token + first;
    length -= first;
    if (length == 0) return 1;
    PyObject *key = PyUnicode_FromStringAndSize(word, length);
    if (key == NULL) return -1;
    int known = PySet_Contains(abbreviations, key);
    Py_DECREF(key);
    if (known != 0) return known < 0 ? -1 : 0;
    if (length == 1 && word[0] >= 'a' && word[0] <= 'z') return 0; /* an initial, as in "J. Smith" */
    if (length >= 3 && length % 2 == 1) { /* "e.g", "i.e", "a.m" */
        int dotted = 1;
        for (Py_ssize_t i = 0; i < length && dotted; i++)
            dotted = i % 2 ? word[i] == '.' : word[i] >= 'a' && word[i] <= 'z';
        if (dotted) return 0;
    }
    Py_ssize_t rest = end;
    while (rest < n && PyUnicode_READ(kind, data, rest) == ' ') rest++;
    if (rest < n && Py_UNICODE_ISLOWER(PyUnicode_READ(kind, data, rest)) && length <= 4)
        return 0; /* "approx. three weeks" */
    return 1;
}

/* Whether the full stop text[begin:end] ends a sentence: in C after an ASCII word, else
 * asked of text.py. */
static int full_stop_ends(PyObject *text, Py_ssize_t begin, Py_ssize_t end)
{
    int decided = ascii_full_stop_ends(text, begin, end);
    if (decided != -2) return decided;
    PyObject *args[3] = {text, PyLong_FromSsize_t(begin), PyLong_FromSsize_t(end)};
    PyObject *verdict = NULL;
    if (args[1] && args[2]) verdict = PyObject_Vectorcall(ends_sentence, args, 3, NULL);
    Py_XDECREF(args[1]);
    Py_XDECREF(args[2]);
    if (verdict == NULL) return -1;
    int yes = PyObject_IsTrue(verdict);
    Py_DECREF(verdict);
    return yes;
}

static int configured(void)
{
    if (sentence_type == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "lgcontent._speedups is not configured");
        return 0;
    }
    return 1;
}

static PyObject *split_sentences(PyObject *Py_UNUSED(module), PyObject *text)
{
    if (!configured()) return NULL;
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "split_sentences() needs a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    PyObject *result = PyList_New(0);
    if (result == NULL) return NULL;
    /* The stops of _SENTENCE_END_RE: a line break; or stops, then closing quotes and
     * brackets, before white space or the end. */
    Py_ssize_t begin = 0, i = 0;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_ssize_t j = i + 1;
        if (c != '\n') {
            if (!is_stop(c)) {
                i++;
                continue;
            }
            while (j < n && is_stop(PyUnicode_READ(kind, data, j))) j++;
            while (j < n && is_closer(PyUnicode_READ(kind, data, j))) j++;
            if (j < n && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j))) {
                i++;
                continue;
            }
            if (c == '.') {
                int yes = full_stop_ends(text, i, j);
                if (yes < 0) goto fail;
                if (!yes) {
                    i = j;
                    continue;
                }
            }
        }
        if (append_sentence(result, text, kind, data, begin, j) < 0) goto fail;
        begin = i = j;
    }
    if (append_sentence(result, text, kind, data, begin, n) < 0) goto fail;
    PyObject *tuple = PyList_AsTuple(result);
    Py_DECREF(result);
    return tuple;
fail:
    Py_DECREF(result);
    return NULL;
}

static PyObject *syllables(PyObject *Py_UNUSED(module), PyObject *word)
{
    if (!configured()) return NULL;
    if (!PyUnicode_Check(word)) {
        PyErr_SetString(PyExc_TypeError, "syllables() needs a str");
        return NULL;
    }
    long value = word_syllables(word, PyUnicode_KIND(word), PyUnicode_DATA(word), 0, PyUnicode_GET_LENGTH(word));
    if (value == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLong(value);
}

/* text.sentence_totals: (sentences with words, words, syllables) of split sentences. */
static PyObject *sentence_totals(PyObject *Py_UNUSED(module), PyObject *found)
{
    if (!PyTuple_Check(found)) {
        PyErr_SetString(PyExc_TypeError, "sentence_totals() needs a tuple of sentences");
        return NULL;
    }
    Py_ssize_t n_sentences = 0, n_words = 0, n_syllables = 0;
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(found); k++) {
        PyObject *sentence = PyTuple_GET_ITEM(found, k);
        if (!PyTuple_Check(sentence) || PyTuple_GET_SIZE(sentence) < 5) {
            PyErr_SetString(PyExc_TypeError, "sentence_totals() needs Sentence tuples");
            return NULL;
        }
        Py_ssize_t words = PyLong_AsSsize_t(PyTuple_GET_ITEM(sentence, 3));
        Py_ssize_t syllables = PyLong_AsSsize_t(PyTuple_GET_ITEM(sentence, 4));
        if ((words == -1 || syllables == -1) && PyErr_Occurred()) return NULL;
        if (words) {
            n_sentences++;
            n_words += words;
            n_syllables += syllables;
        }
    }
    return Py_BuildValue("(nnn)", n_sentences, n_words, n_syllables);
}

static PyObject *configure(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *sentence, *fallback, *ends, *table, *shortened;
    if (!PyArg_ParseTuple(args, "OOOO!O!", &sentence, &fallback, &ends, &PyDict_Type, &table, &PyFrozenSet_Type,
                          &shortened))
        return NULL;
    if (!PyType_Check(sentence) || !PyType_IsSubtype((PyTypeObject *)sentence, &PyTuple_Type)) {
        PyErr_SetString(PyExc_TypeError, "Sentence must be a tuple type");
        return NULL;
    }
    Py_ssize_t size = PyDict_Size(table);
    Exception_ *copied = PyMem_Calloc((size_t)(size ? size : 1), sizeof(Exception_));
    if (copied == NULL) return PyErr_NoMemory();
    Py_ssize_t position = 0, k = 0;
    PyObject *key, *value;
    while (PyDict_Next(table, &position, &key, &value)) {
        Py_ssize_t length;
        const char *word = PyUnicode_Check(key) ? PyUnicode_AsUTF8AndSize(key, &length) : NULL;
        long count = PyLong_Check(value) ? PyLong_AsLong(value) : -1;
        if (word == NULL || length > MAX_WORD || count < 0) {
            PyMem_Free(copied);
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "syllable exceptions must map short words to counts");
            return NULL;
        }
        memcpy(copied[k].word, word, (size_t)length);
        copied[k].length = length;
        copied[k].count = count;
        k++;
    }
    qsort(copied, (size_t)k, sizeof(Exception_), compare_exceptions);
    PyMem_Free(exceptions);
    exceptions = copied;
    n_exceptions = k;
    Py_INCREF(sentence);
    Py_INCREF(fallback);
    Py_INCREF(ends);
    Py_INCREF(shortened);
    Py_XSETREF(abbreviations, shortened);
    Py_XSETREF(sentence_type, sentence);
    Py_XSETREF(fallback_syllables, fallback);
    Py_XSETREF(ends_sentence, ends);
    Py_RETURN_NONE;
}

/* ---- HTML: the quick token reader of loaders/html_tokens.py ------------------------------
 *
 * read_plain_tokens(parser, rawdata, base) reads the plain tokens at the start of rawdata
 * and calls the parser's handlers for each, exactly as TokenReader._read_plain_tokens
 * does with its regex _PLAIN_TOKEN; it returns where it stopped (the first token of any
 * other kind, which HTMLParser reads). Set once by configure_tokens(): the raw text
 * element names, the Python _plain_content_end and html.unescape. */

static PyObject *raw_text_tags = NULL;
static PyObject *plain_content_end = NULL;
static PyObject *unescape = NULL;

static PyObject *s_token_start, *s_lasttag, *s_starttag_text, *s_handle_data, *s_handle_starttag,
    *s_handle_startendtag, *s_handle_endtag, *s_handle_charref, *s_handle_entityref, *s_handle_comment,
    *s_handle_decl, *s_ampersand;

static inline int is_html_space(Py_UCS4 c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
static inline int is_hex(Py_UCS4 c) { return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static inline int is_tag_char(Py_UCS4 c) { return is_ascii_alnum(c) || c == '-'; }
static inline int is_name_start(Py_UCS4 c) { return is_ascii_alpha(c) || c == '_' || c == ':' || c == '@'; }
static inline int is_name_char(Py_UCS4 c)
{
    return is_ascii_alnum(c) || c == '-' || c == '_' || c == ':' || c == '.' || c == '@';
}
static inline int is_bare_value_char(Py_UCS4 c)
{
    return is_ascii_alnum(c) || (c < 128 && strchr("-_:./#?&;%=+,", (int)c) != NULL && c != 0);
}

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Raw;

#define AT(raw, i) PyUnicode_READ((raw)->kind, (raw)->data, (i))

/* One attribute of _ATTRIBUTE at i (which must start with white space): its end, or -1.
 * name: [name_start, name_end); value: [value_start, value_end) when has_value. */
typedef struct {
    Py_ssize_t name_start, name_end, value_start, value_end;
    int has_value;
} Attribute;

static Py_ssize_t read_attribute(const Raw *raw, Py_ssize_t i, Attribute *found)
{
    Py_ssize_t j = i;
    while (j < raw->n && is_html_space(AT(raw, j))) j++;
    if (j == i || j >= raw->n || !is_name_start(AT(raw, j))) return -1;
    found->name_start = j++;
    while (j < raw->n && is_name_char(AT(raw, j))) j++;
    found->name_end = j;
    found->has_value = 0;
    /* the value, if one follows; if it does not read, the attribute has no value */
    Py_ssize_t k = j;
    while (k < raw->n && is_html_space(AT(raw, k))) k++;
    if (k >= raw->n || AT(raw, k) != '=') return j;
    k++;
    while (k < raw->n && is_html_space(AT(raw, k))) k++;
    if (k >= raw->n) return j;
    Py_UCS4 quote = AT(raw, k);
    if (quote == '"' || quote == '\'') {
        Py_ssize_t v = k + 1;
        while (v < raw->n) {
            Py_UCS4 c = AT(raw, v);
            if (c == quote || c == '<' || c == '>') break;
            v++;
        }
        if (v >= raw->n || AT(raw, v) != quote) return j;
        found->value_start = k + 1;
        found->value_end = v;
        found->has_value = 1;
        return v + 1;
    }
    Py_ssize_t v = k;
    while (v < raw->n && is_bare_value_char(AT(raw, v))) v++;
    if (v == k) return j;
    found->value_start = k;
    found->value_end = v;
    found->has_value = 1;
    return v;
}

/* rawdata[start:end] in ASCII lower case (names are ASCII by the token patterns). */
static PyObject *ascii_lower(PyObject *rawdata, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *piece = PyUnicode_Substring(rawdata, start, end);
    if (piece == NULL) return NULL;
    const Raw raw = {PyUnicode_KIND(piece), PyUnicode_DATA(piece), PyUnicode_GET_LENGTH(piece)};
    int upper = 0;
    for (Py_ssize_t i = 0; i < raw.n && !upper; i++) upper = AT(&raw, i) >= 'A' && AT(&raw, i) <= 'Z';
    if (!upper) return piece;
    PyObject *lower = PyObject_CallMethod(piece, "lower", NULL);
    Py_DECREF(piece);
    return lower;
}

/* The attributes as HTMLParser gives them: (name in lower case, value unescaped, or None
 * for an attribute written without one). */
static PyObject *attribute_list(PyObject *rawdata, const Raw *raw, Py_ssize_t i, Py_ssize_t end)
{
    PyObject *list = PyList_New(0);
    if (list == NULL) return NULL;
    Attribute found;
    Py_ssize_t next;
    while (i < end && (next = read_attribute(raw, i, &found)) >= 0) {
        PyObject *name = ascii_lower(rawdata, found.name_start, found.name_end), *value;
        if (name == NULL) goto fail;
        if (!found.has_value) {
            value = Py_None;
            Py_INCREF(value);
        }
        else {
            value = PyUnicode_Substring(rawdata, found.value_start, found.value_end);
            if (value != NULL && found.value_end > found.value_start
                && PyUnicode_FindChar(value, '&', 0, found.value_end - found.value_start, 1) >= 0)
                Py_SETREF(value, PyObject_CallOneArg(unescape, value));
        }
        PyObject *pair = value != NULL ? PyTuple_Pack(2, name, value) : NULL;
        Py_DECREF(name);
        Py_XDECREF(value);
        if (pair == NULL || PyList_Append(list, pair) < 0) {
            Py_XDECREF(pair);
            goto fail;
        }
        Py_DECREF(pair);
        i = next;
    }
    return list;
fail:
    Py_DECREF(list);
    return NULL;
}

/* Where the start tag at i (after '<' and a letter) ends, or -1; *attributes_end is where
 * its attributes end and *empty whether it closes itself ("/>"). */
static Py_ssize_t read_start_tag(const Raw *raw, Py_ssize_t i, Py_ssize_t *tag_end, Py_ssize_t *attributes_end,
                                 int *empty)
{
    Py_ssize_t j = i + 2;
    while (j < raw->n && is_tag_char(AT(raw, j))) j++;
    *tag_end = j;
    Attribute found;
    Py_ssize_t next;
    while ((next = read_attribute(raw, j, &found)) >= 0) j = next;
    *attributes_end = j;
    while (j < raw->n && is_html_space(AT(raw, j))) j++;
    *empty = j < raw->n && AT(raw, j) == '/';
    if (*empty) j++;
    if (j >= raw->n || AT(raw, j) != '>') return -1;
    return j + 1;
}

/* Where the comment at i ("<!--") ends, or -1: <!--[^-<>]*(?:-[^-<>]+)*--> */
static Py_ssize_t read_comment(const Raw *raw, Py_ssize_t i)
{
    Py_ssize_t j = i + 4;
    while (j < raw->n) {
        Py_UCS4 c = AT(raw, j);
        if (c == '<' || c == '>') return -1;
        if (c == '-') {
            if (j + 1 >= raw->n) return -1;
            Py_UCS4 next = AT(raw, j + 1);
            if (next == '-') return j + 2 < raw->n && AT(raw, j + 2) == '>' ? j + 3 : -1;
            if (next == '<' || next == '>') return -1;
        }
        j++;
    }
    return -1;
}

/* A PageBuilder (below) is handed its tokens directly: its handlers are final. */
static PyTypeObject PageBuilderType;
static void builder_set_start(PyObject *builder, Py_ssize_t offset);
static int builder_data(PyObject *builder, PyObject *data);
static int builder_start_tag(PyObject *builder, PyObject *tag, PyObject *attr_list);
static int builder_end_tag(PyObject *builder, PyObject *tag);

static int set_start(PyObject *parser, Py_ssize_t offset)
{
    if (PyObject_TypeCheck(parser, &PageBuilderType)) {
        builder_set_start(parser, offset);
        return 0;
    }
    PyObject *value = PyLong_FromSsize_t(offset);
    if (value == NULL) return -1;
    int failed = PyObject_SetAttr(parser, s_token_start, value);
    Py_DECREF(value);
    return failed;
}

/* Call parser.<handler>(one, two), taking both references: two may be NULL for a handler
 * with one argument; one is NULL when making it failed (the error is set). */
static int call_handler(PyObject *parser, PyObject *handler, PyObject *one, PyObject *two)
{
    if (one == NULL) {
        Py_XDECREF(two);
        return -1;
    }
    if ((handler == s_handle_data || handler == s_handle_starttag || handler == s_handle_startendtag
         || handler == s_handle_endtag) && PyObject_TypeCheck(parser, &PageBuilderType)) {
        int failed = handler == s_handle_data     ? builder_data(parser, one)
                     : handler == s_handle_endtag ? builder_end_tag(parser, one)
                                                  : builder_start_tag(parser, one, two);
        Py_DECREF(one);
        Py_XDECREF(two);
        return failed;
    }
    PyObject *args[3] = {parser, one, two};
    PyObject *done = PyObject_VectorcallMethod(handler, args, (two != NULL ? 3 : 2) | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                               NULL);
    Py_DECREF(one);
    Py_XDECREF(two);
    if (done == NULL) return -1;
    Py_DECREF(done);
    return 0;
}

static int handle_piece(PyObject *parser, PyObject *handler, PyObject *rawdata, Py_ssize_t start, Py_ssize_t end)
{
    return call_handler(parser, handler, PyUnicode_Substring(rawdata, start, end), NULL);
}

/* A start tag from i to end; returns where reading goes on, -2 to stop before it (a raw
 * text element whose content HTMLParser must read), or -1 on an error. */
static Py_ssize_t start_tag(PyObject *parser, PyObject *rawdata, const Raw *raw, Py_ssize_t base, Py_ssize_t i,
                            Py_ssize_t end, Py_ssize_t tag_end, Py_ssize_t attributes_end, int empty)
{
    PyObject *tag = ascii_lower(rawdata, i + 1, tag_end);
    if (tag == NULL) return -1;
    Py_ssize_t content_end = -1;
    int raw_text = PySet_Contains(raw_text_tags, tag);
    if (raw_text < 0) goto fail;
    if (raw_text) {
        if (empty) goto stop;
        PyObject *found = PyObject_CallFunction(plain_content_end, "OOn", rawdata, tag, end);
        if (found == NULL) goto fail;
        if (found == Py_None) {
            Py_DECREF(found);
            goto stop;
        }
        content_end = PyLong_AsSsize_t(found);
        Py_DECREF(found);
        if (content_end == -1 && PyErr_Occurred()) goto fail;
    }
    PyObject *text = PyUnicode_Substring(rawdata, i, end);
    if (text == NULL || PyObject_SetAttr(parser, s_starttag_text, text) < 0) {
        Py_XDECREF(text);
        goto fail;
    }
    Py_DECREF(text);
    if (PyObject_SetAttr(parser, s_lasttag, tag) < 0) goto fail;
    PyObject *attributes = attribute_list(rawdata, raw, tag_end, attributes_end);
    if (attributes == NULL) goto fail;
    Py_INCREF(tag); /* the handler call takes this reference, and the attributes */
    if (call_handler(parser, empty ? s_handle_startendtag : s_handle_starttag, tag, attributes) < 0) goto fail;
    if (content_end < 0) {
        Py_DECREF(tag);
        return end;
    }
    Py_ssize_t end_tag_start = content_end - 1;
    while (end_tag_start > end && AT(raw, end_tag_start) != '<') end_tag_start--;
    if (end_tag_start > end) {
        if (set_start(parser, base + end) < 0 || handle_piece(parser, s_handle_data, rawdata, end, end_tag_start) < 0)
            goto fail;
    }
    if (set_start(parser, base + end_tag_start) < 0) goto fail;
    return call_handler(parser, s_handle_endtag, tag, NULL) < 0 ? -1 : content_end;
stop:
    Py_DECREF(tag);
    return -2;
fail:
    Py_DECREF(tag);
    return -1;
}

static PyObject *read_plain_tokens(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (raw_text_tags == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "lgcontent._speedups: configure_tokens() was not called");
        return NULL;
    }
    Py_ssize_t base;
    if (nargs != 3 || !PyUnicode_Check(args[1]) || (base = PyLong_AsSsize_t(args[2])) == -1) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "read_plain_tokens(parser, rawdata: str, base: int)");
        return NULL;
    }
    PyObject *parser = args[0], *rawdata = args[1];
    const Raw raw = {PyUnicode_KIND(rawdata), PyUnicode_DATA(rawdata), PyUnicode_GET_LENGTH(rawdata)};
    Py_ssize_t i = 0;
    unsigned long tokens = 0;
    while (i < raw.n) {
        if ((++tokens & 1023) == 0 && PyErr_CheckSignals() < 0) return NULL; /* Ctrl-C, time limits */
        if (set_start(parser, base + i) < 0) return NULL;
        Py_UCS4 c = AT(&raw, i);
        Py_UCS4 next = i + 1 < raw.n ? AT(&raw, i + 1) : 0;
        Py_ssize_t end = -1;
        if (c != '<' && c != '&') { /* text */
            end = i + 1;
            while (end < raw.n && AT(&raw, end) != '<' && AT(&raw, end) != '&') end++;
            if (handle_piece(parser, s_handle_data, rawdata, i, end) < 0) return NULL;
        }
        else if (c == '<' && is_ascii_alpha(next)) {
            Py_ssize_t tag_end, attributes_end;
            int empty;
            end = read_start_tag(&raw, i, &tag_end, &attributes_end, &empty);
            if (end < 0) break;
            end = start_tag(parser, rawdata, &raw, base, i, end, tag_end, attributes_end, empty);
            if (end == -2) break;
            if (end < 0) return NULL;
        }
        else if (c == '<' && next == '/') {
            Py_ssize_t j = i + 2;
            if (j >= raw.n || !is_ascii_alpha(AT(&raw, j))) break;
            while (j < raw.n && is_tag_char(AT(&raw, j))) j++;
            if (j >= raw.n || AT(&raw, j) != '>') break;
            end = j + 1;
            if (call_handler(parser, s_handle_endtag, ascii_lower(rawdata, i + 2, j), NULL) < 0) return NULL;
        }
        else if (c == '<' && next == '!') {
            if (i + 3 < raw.n && AT(&raw, i + 2) == '-' && AT(&raw, i + 3) == '-') {
                end = read_comment(&raw, i);
                if (end < 0) break;
                if (handle_piece(parser, s_handle_comment, rawdata, i + 4, end - 3) < 0) return NULL;
            }
            else {
                static const char doctype[] = "doctype";
                Py_ssize_t j = i + 2;
                for (int k = 0; k < 7; k++, j++) {
                    if (j >= raw.n || (AT(&raw, j) | 0x20) != (Py_UCS4)doctype[k]) break;
                }
                if (j != i + 9) break;
                while (j < raw.n && AT(&raw, j) != '<' && AT(&raw, j) != '>') j++;
                if (j >= raw.n || AT(&raw, j) != '>') break;
                end = j + 1;
                if (handle_piece(parser, s_handle_decl, rawdata, i + 2, j) < 0) return NULL;
            }
        }
        else if (c == '&' && next == '#') {
            Py_ssize_t j = i + 2;
            int hex = j < raw.n && !is_ascii_digit(AT(&raw, j)) && (AT(&raw, j) == 'x' || AT(&raw, j) == 'X');
            if (hex) j++;
            Py_ssize_t digits = j;
            while (j < raw.n && (hex ? is_hex(AT(&raw, j)) : is_ascii_digit(AT(&raw, j)))) j++;
            if (j == digits || j >= raw.n || AT(&raw, j) != ';') break;
            end = j + 1;
            if (handle_piece(parser, s_handle_charref, rawdata, i + 2, j) < 0) return NULL;
        }
        else if (c == '&' && is_ascii_alpha(next)) {
            Py_ssize_t j = i + 2;
            while (j < raw.n && is_ascii_alnum(AT(&raw, j))) j++;
            if (j >= raw.n || AT(&raw, j) != ';') break;
            end = j + 1;
            if (handle_piece(parser, s_handle_entityref, rawdata, i + 1, j) < 0) return NULL;
        }
        else if (c == '&' && i + 1 < raw.n) { /* a lone ampersand, before anything but a letter or '#' */
            end = i + 1;
            Py_INCREF(s_ampersand);
            if (call_handler(parser, s_handle_data, s_ampersand, NULL) < 0) return NULL;
        }
        else break;
        i = end;
    }
    return PyLong_FromSsize_t(i);
}

static PyObject *configure_tokens(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *tags, *content_end, *unescape_function;
    if (!PyArg_ParseTuple(args, "O!OO", &PyFrozenSet_Type, &tags, &content_end, &unescape_function)) return NULL;
    static const char *names[] = {"token_start", "lasttag", "_HTMLParser__starttag_text", "handle_data",
                                  "handle_starttag", "handle_startendtag", "handle_endtag", "handle_charref",
                                  "handle_entityref", "handle_comment", "handle_decl", "&"};
    PyObject **strings[] = {&s_token_start, &s_lasttag, &s_starttag_text, &s_handle_data, &s_handle_starttag,
                            &s_handle_startendtag, &s_handle_endtag, &s_handle_charref, &s_handle_entityref,
                            &s_handle_comment, &s_handle_decl, &s_ampersand};
    for (int k = 0; k < 12; k++) {
        if (*strings[k] == NULL && (*strings[k] = PyUnicode_InternFromString(names[k])) == NULL) return NULL;
    }
    Py_INCREF(tags);
    Py_INCREF(content_end);
    Py_INCREF(unescape_function);
    Py_XSETREF(raw_text_tags, tags);
    Py_XSETREF(plain_content_end, content_end);
    Py_XSETREF(unescape, unescape_function);
    Py_RETURN_NONE;
}

/* ---- SourceText: text with the source offsets of every character (document.py) ----------
 *
 * The same type as document.SourceText, which is the reference and documents each method:
 * the offsets are kept as runs (at, src, end), where end is NO_END for a run whose
 * characters stand one to one for consecutive source characters. A normalised text keeps
 * its raw text and works out its own runs only when an offset is first asked for. */

#define NO_END PY_SSIZE_T_MIN

static PyObject *offsets_view = NULL; /* document._Offsets */
static Py_UCS4 hard_break = 0x2028;   /* document.HARD_BREAK */

typedef struct SourceTextObject {
    PyObject_HEAD
    PyObject *parts;  /* list of str appended since the text was last joined */
    PyObject *text;   /* the whole text, or NULL until asked for */
    Py_ssize_t length;
    Py_ssize_t *at, *src, *end;
    Py_ssize_t runs, capacity;
    struct SourceTextObject *raw; /* normalised, runs not worked out: the raw text behind it */
    Py_ssize_t first, last;       /* ... and the stretch of it that was kept */
} SourceTextObject;

static PyTypeObject SourceTextType;

static int add_run(SourceTextObject *self, Py_ssize_t at, Py_ssize_t src, Py_ssize_t end)
{
    if (self->runs == self->capacity) {
        Py_ssize_t capacity = self->capacity ? self->capacity * 2 : 4;
        Py_ssize_t *new_at = PyMem_Realloc(self->at, (size_t)capacity * sizeof(Py_ssize_t));
        if (new_at == NULL) return (PyErr_NoMemory(), -1);
        self->at = new_at;
        Py_ssize_t *new_src = PyMem_Realloc(self->src, (size_t)capacity * sizeof(Py_ssize_t));
        if (new_src == NULL) return (PyErr_NoMemory(), -1);
        self->src = new_src;
        Py_ssize_t *new_end = PyMem_Realloc(self->end, (size_t)capacity * sizeof(Py_ssize_t));
        if (new_end == NULL) return (PyErr_NoMemory(), -1);
        self->end = new_end;
        self->capacity = capacity;
    }
    self->at[self->runs] = at;
    self->src[self->runs] = src;
    self->end[self->runs] = end;
    self->runs++;
    return 0;
}

static PyObject *source_text_get_text(SourceTextObject *self, void *Py_UNUSED(closure))
{
    if (self->text == NULL) {
        PyObject *empty = PyUnicode_New(0, 0);
        if (empty == NULL) return NULL;
        self->text = PyUnicode_Join(empty, self->parts);
        Py_DECREF(empty);
        if (self->text == NULL) return NULL;
        PyObject *parts = PyList_New(1);
        if (parts == NULL) return NULL;
        Py_INCREF(self->text);
        PyList_SET_ITEM(parts, 0, self->text);
        Py_SETREF(self->parts, parts);
    }
    Py_INCREF(self->text);
    return self->text;
}

static Py_ssize_t bisect_right(const Py_ssize_t *values, Py_ssize_t count, Py_ssize_t x)
{
    Py_ssize_t low = 0, high = count;
    while (low < high) {
        Py_ssize_t middle = (low + high) / 2;
        if (x < values[middle]) high = middle;
        else low = middle + 1;
    }
    return low;
}

static Py_ssize_t bisect_left(const Py_ssize_t *values, Py_ssize_t count, Py_ssize_t x)
{
    Py_ssize_t low = 0, high = count;
    while (low < high) {
        Py_ssize_t middle = (low + high) / 2;
        if (values[middle] < x) low = middle + 1;
        else high = middle;
    }
    return low;
}

static int work_out_runs(SourceTextObject *self);

/* SourceText._take_runs: the runs of raw.text[low:high] from normalised index length. */
static int take_runs(SourceTextObject *self, SourceTextObject *raw, Py_ssize_t low, Py_ssize_t high,
                     Py_ssize_t *length)
{
    Py_ssize_t first_run = bisect_right(raw->at, raw->runs, low) - 1;
    Py_ssize_t past_runs = bisect_left(raw->at, raw->runs, high);
    if (first_run < 0) first_run = raw->runs - 1; /* Python's list[-1] */
    if (first_run < 0) {
        PyErr_SetString(PyExc_IndexError, "list index out of range");
        return -1;
    }
    Py_ssize_t end = raw->end[first_run];
    Py_ssize_t src = raw->src[first_run] + (end == NO_END ? low - raw->at[first_run] : 0);
    if (add_run(self, *length, src, end) < 0) return -1;
    Py_ssize_t shift = *length - low;
    for (Py_ssize_t k = first_run + 1; k < past_runs; k++) {
        if (add_run(self, raw->at[k] + shift, raw->src[k], raw->end[k]) < 0) return -1;
    }
    *length += high - low;
    return 0;
}

/* SourceText._work_out_runs: each stretch between runs of messy white space (all white
 * space but one plain space) keeps its raw runs; a messy run keeps its first character's. */
static int work_out_runs(SourceTextObject *self)
{
    SourceTextObject *raw = self->raw;
    if (raw == NULL) return 0;
    self->raw = NULL;
    self->runs = 0;
    if (raw->raw != NULL && work_out_runs(raw) < 0) goto fail;
    PyObject *text = source_text_get_text(raw, NULL);
    if (text == NULL) goto fail;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = 0, position = self->first, i = self->first;
    while (i < self->last) {
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) {
            i++;
            continue;
        }
        Py_ssize_t j = i + 1;
        while (j < self->last && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j))) j++;
        if (j - i > 1 || PyUnicode_READ(kind, data, i) != ' ') {
            if (take_runs(self, raw, position, i + 1, &length) < 0) {
                Py_DECREF(text);
                goto fail;
            }
            position = j;
        }
        i = j;
    }
    Py_DECREF(text);
    if (take_runs(self, raw, position, self->last, &length) < 0) goto fail;
    Py_DECREF(raw);
    if (length != self->length) {
        PyErr_SetString(PyExc_AssertionError, "normalised text and its offsets disagree");
        return -1;
    }
    return 0;
fail:
    self->raw = raw; /* left as it was */
    return -1;
}

static int find_run(SourceTextObject *self, Py_ssize_t index, Py_ssize_t *run)
{
    if (self->raw != NULL && work_out_runs(self) < 0) return -1;
    *run = bisect_right(self->at, self->runs, index) - 1;
    if (*run < 0) *run = self->runs - 1; /* Python's list[-1] */
    if (*run < 0) {
        PyErr_SetString(PyExc_IndexError, "list index out of range");
        return -1;
    }
    return 0;
}

static int start_of(SourceTextObject *self, Py_ssize_t index, Py_ssize_t *offset);
static int end_of(SourceTextObject *self, Py_ssize_t index, Py_ssize_t *offset);

static int start_of(SourceTextObject *self, Py_ssize_t index, Py_ssize_t *offset)
{
    if (self->raw != NULL && index == 0) return start_of(self->raw, self->first, offset); /* the ends need no runs */
    Py_ssize_t run;
    if (find_run(self, index, &run) < 0) return -1;
    *offset = self->src[run] + (self->end[run] == NO_END ? index - self->at[run] : 0);
    return 0;
}

static int end_of(SourceTextObject *self, Py_ssize_t index, Py_ssize_t *offset)
{
    if (self->raw != NULL && index == self->length - 1) return end_of(self->raw, self->last - 1, offset);
    Py_ssize_t run;
    if (find_run(self, index, &run) < 0) return -1;
    Py_ssize_t end = self->end[run];
    *offset = end == NO_END ? self->src[run] + (index - self->at[run]) + 1 : end;
    return 0;
}

static PyObject *source_text_start_of(SourceTextObject *self, PyObject *argument)
{
    Py_ssize_t index = PyLong_AsSsize_t(argument), offset;
    if (index == -1 && PyErr_Occurred()) return NULL;
    return start_of(self, index, &offset) < 0 ? NULL : PyLong_FromSsize_t(offset);
}

static PyObject *source_text_end_of(SourceTextObject *self, PyObject *argument)
{
    Py_ssize_t index = PyLong_AsSsize_t(argument), offset;
    if (index == -1 && PyErr_Occurred()) return NULL;
    return end_of(self, index, &offset) < 0 ? NULL : PyLong_FromSsize_t(offset);
}

static PyObject *span_of(SourceTextObject *self, Py_ssize_t begin, Py_ssize_t finish)
{
    if (self->length == 0) return Py_BuildValue("(ii)", 0, 0);
    begin = Py_MAX(0, Py_MIN(begin, self->length - 1));
    finish = Py_MAX(begin + 1, Py_MIN(finish, self->length));
    Py_ssize_t start, end;
    if (start_of(self, begin, &start) < 0 || end_of(self, finish - 1, &end) < 0) return NULL;
    return Py_BuildValue("(nn)", start, end);
}

static PyObject *source_text_span(SourceTextObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t begin, finish;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "span(begin, finish)");
        return NULL;
    }
    if ((begin = PyLong_AsSsize_t(args[0])) == -1 && PyErr_Occurred()) return NULL;
    if ((finish = PyLong_AsSsize_t(args[1])) == -1 && PyErr_Occurred()) return NULL;
    return span_of(self, begin, finish);
}

static PyObject *source_text_source_span(SourceTextObject *self, PyObject *Py_UNUSED(ignored))
{
    return span_of(self, 0, self->length);
}

static void clear_text(SourceTextObject *self)
{
    Py_CLEAR(self->text);
    Py_CLEAR(self->raw);
    self->length = 0;
    self->runs = 0;
}

static PyObject *source_text_clear(SourceTextObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *parts = PyList_New(0);
    if (parts == NULL) return NULL;
    Py_SETREF(self->parts, parts);
    clear_text(self);
    self->text = PyUnicode_New(0, 0);
    if (self->text == NULL) return NULL;
    Py_RETURN_NONE;
}

static int append_text(SourceTextObject *self, PyObject *chars, Py_ssize_t start, Py_ssize_t end)
{
    Py_ssize_t count = PyUnicode_GET_LENGTH(chars);
    if (count == 0) return 0;
    if (self->raw != NULL && work_out_runs(self) < 0) return -1;
    Py_ssize_t at = self->length;
    if (PyList_Append(self->parts, chars) < 0) return -1;
    Py_CLEAR(self->text);
    self->length += count;
    if (self->runs) {
        Py_ssize_t last = self->runs - 1, last_end = self->end[last];
        if (end == NO_END && last_end == NO_END && self->src[last] + (at - self->at[last]) == start)
            return 0; /* carries on the last one-to-one run */
        if (end != NO_END && last_end == end && self->src[last] == start)
            return 0; /* more characters standing for the same source span */
    }
    return add_run(self, at, start, end);
}

static PyObject *source_text_append(SourceTextObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 2 || nargs > 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "append(chars: str, start: int, end: int | None = None)");
        return NULL;
    }
    Py_ssize_t start = PyLong_AsSsize_t(args[1]), end = NO_END;
    if (start == -1 && PyErr_Occurred()) return NULL;
    if (nargs == 3 && args[2] != Py_None) {
        end = PyLong_AsSsize_t(args[2]);
        if (end == -1 && PyErr_Occurred()) return NULL;
    }
    if (append_text(self, args[0], start, end) < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *new_source_text(void)
{
    SourceTextObject *self = PyObject_New(SourceTextObject, &SourceTextType);
    if (self == NULL) return NULL;
    self->parts = PyList_New(0);
    self->text = PyUnicode_New(0, 0);
    self->length = self->runs = self->capacity = 0;
    self->at = self->src = self->end = NULL;
    self->raw = NULL;
    self->first = self->last = 0;
    if (self->parts == NULL || self->text == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

/* SourceText.normalised: white space collapsed to one space (a run holding a forced line
 * break to a newline when keep_newlines), both ends trimmed; runs worked out later. */
static PyObject *source_text_normalised(SourceTextObject *self, PyObject *const *args, Py_ssize_t nargs,
                                        PyObject *kwnames)
{
    int keep_newlines = 1;
    Py_ssize_t given = nargs + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0);
    if (given > 1 || (kwnames && PyTuple_GET_SIZE(kwnames) == 1
                      && PyUnicode_CompareWithASCIIString(PyTuple_GET_ITEM(kwnames, 0), "keep_newlines") != 0)) {
        PyErr_SetString(PyExc_TypeError, "normalised(keep_newlines: bool = True)");
        return NULL;
    }
    if (given == 1 && (keep_newlines = PyObject_IsTrue(args[0])) < 0) return NULL;
    PyObject *text = source_text_get_text(self, NULL);
    if (text == NULL) return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t first = 0, last = PyUnicode_GET_LENGTH(text);
    while (first < last && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, first))) first++;
    while (last > first && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, last - 1))) last--;
    SourceTextObject *result = (SourceTextObject *)new_source_text();
    if (result == NULL || first == last) {
        Py_DECREF(text);
        return (PyObject *)result;
    }
    /* Two passes: the tidy text's length and widest character, then the text. */
    Py_ssize_t count = 0;
    Py_UCS4 widest = 0;
    for (Py_ssize_t i = first; i < last;) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!Py_UNICODE_ISSPACE(c)) {
            widest = Py_MAX(widest, c);
            count++;
            i++;
            continue;
        }
        while (i < last && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) i++;
        widest = Py_MAX(widest, (Py_UCS4)' ');
        count++;
    }
    PyObject *tidy = PyUnicode_New(count, widest);
    if (tidy == NULL) {
        Py_DECREF(text);
        Py_DECREF(result);
        return NULL;
    }
    int tidy_kind = PyUnicode_KIND(tidy);
    void *tidy_data = PyUnicode_DATA(tidy);
    Py_ssize_t k = 0;
    for (Py_ssize_t i = first; i < last;) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (!Py_UNICODE_ISSPACE(c)) {
            PyUnicode_WRITE(tidy_kind, tidy_data, k++, c);
            i++;
            continue;
        }
        int line_break = 0;
        while (i < last && Py_UNICODE_ISSPACE(c = PyUnicode_READ(kind, data, i))) {
            line_break |= c == hard_break;
            i++;
        }
        PyUnicode_WRITE(tidy_kind, tidy_data, k++, keep_newlines && line_break ? '\n' : ' ');
    }
    Py_DECREF(text);
    if (PyList_Append(result->parts, tidy) < 0) {
        Py_DECREF(tidy);
        Py_DECREF(result);
        return NULL;
    }
    Py_SETREF(result->text, tidy);
    result->length = count;
    Py_INCREF(self);
    result->raw = self;
    result->first = first;
    result->last = last;
    return (PyObject *)result;
}

static PyObject *source_text_new(PyTypeObject *Py_UNUSED(type), PyObject *args, PyObject *kwargs)
{
    static char *keywords[] = {"text", "start", NULL};
    PyObject *text = NULL;
    Py_ssize_t start = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|Un", keywords, &text, &start)) return NULL;
    PyObject *self = new_source_text();
    if (self != NULL && text != NULL && append_text((SourceTextObject *)self, text, start, NO_END) < 0)
        Py_CLEAR(self);
    return self;
}

static void source_text_dealloc(SourceTextObject *self)
{
    Py_XDECREF(self->parts);
    Py_XDECREF(self->text);
    Py_XDECREF(self->raw);
    PyMem_Free(self->at);
    PyMem_Free(self->src);
    PyMem_Free(self->end);
    PyObject_Free(self);
}

static Py_ssize_t source_text_length(SourceTextObject *self) { return self->length; }

static int source_text_bool(SourceTextObject *self) { return self->length > 0; }

static PyObject *source_text_repr(SourceTextObject *self)
{
    PyObject *text = source_text_get_text(self, NULL);
    if (text == NULL) return NULL;
    PyObject *repr = PyUnicode_FromFormat("SourceText(%R)", text);
    Py_DECREF(text);
    return repr;
}

static PyObject *offsets(SourceTextObject *self, int ends)
{
    if (offsets_view == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "lgcontent._speedups: configure_source_text() was not called");
        return NULL;
    }
    return PyObject_CallFunction(offsets_view, "OO", (PyObject *)self, ends ? Py_True : Py_False);
}

static PyObject *source_text_starts(SourceTextObject *self, void *Py_UNUSED(closure)) { return offsets(self, 0); }
static PyObject *source_text_ends(SourceTextObject *self, void *Py_UNUSED(closure)) { return offsets(self, 1); }

static PyGetSetDef source_text_getset[] = {
    {"text", (getter)source_text_get_text, NULL, "The text.", NULL},
    {"starts", (getter)source_text_starts, NULL, "Each character's first source offset.", NULL},
    {"ends", (getter)source_text_ends, NULL, "Each character's source end offset.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef source_text_methods[] = {
    {"append", (PyCFunction)(void (*)(void))source_text_append, METH_FASTCALL,
     "append(chars, start, end=None): add characters that come from source start..end."},
    {"clear", (PyCFunction)source_text_clear, METH_NOARGS, "Empty the text, to be filled again."},
    {"start_of", (PyCFunction)source_text_start_of, METH_O, "Source offset of text[index]'s first source character."},
    {"end_of", (PyCFunction)source_text_end_of, METH_O, "Source offset just past text[index]'s source characters."},
    {"span", (PyCFunction)(void (*)(void))source_text_span, METH_FASTCALL, "Source (start, end) of text[begin:finish]."},
    {"source_span", (PyCFunction)source_text_source_span, METH_NOARGS, "Source (start, end) of the whole text."},
    {"normalised", (PyCFunction)(void (*)(void))source_text_normalised, METH_FASTCALL | METH_KEYWORDS,
     "White space collapsed and both ends trimmed, each character's offsets kept."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods source_text_sequence = {.sq_length = (lenfunc)source_text_length};
static PyNumberMethods source_text_number = {.nb_bool = (inquiry)source_text_bool};

static PyTypeObject SourceTextType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lgcontent._speedups.SourceText",
    .tp_doc = "Text with, for every character, the source offsets it came from (document.SourceText, in C).",
    .tp_basicsize = sizeof(SourceTextObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = source_text_new,
    .tp_dealloc = (destructor)source_text_dealloc,
    .tp_repr = (reprfunc)source_text_repr,
    .tp_as_sequence = &source_text_sequence,
    .tp_as_number = &source_text_number,
    .tp_methods = source_text_methods,
    .tp_getset = source_text_getset,
};

static PyObject *configure_source_text(PyObject *Py_UNUSED(module), PyObject *args)
{
    PyObject *view, *line_break;
    if (!PyArg_ParseTuple(args, "OU", &view, &line_break)) return NULL;
    if (PyUnicode_GET_LENGTH(line_break) != 1) {
        PyErr_SetString(PyExc_ValueError, "the forced line break must be one character");
        return NULL;
    }
    hard_break = PyUnicode_READ_CHAR(line_break, 0);
    Py_INCREF(view);
    Py_XSETREF(offsets_view, view);
    Py_RETURN_NONE;
}

/* ---- PageBuilder: the HTML page builder (loaders/html.py _PageParser) ----------------------
 *
 * The same element stack, text buffers and blocks as _PageParser, which is the reference
 * and says why each step is taken; the tokens that are rare on a page (references,
 * comments, images, the title, meta and lang attributes) stay in Python, in _PageReading,
 * which loaders/html.py mixes in. Set once by configure_builder(), with html.py's tables
 * and the classes the parts are made of. The token reader above calls the handlers of a
 * PageBuilder directly. */

typedef struct {
    PyObject *block_tags, *skip_tags, *void_tags, *p_closers, *inline_code; /* frozensets */
    PyObject *kind_of_tag, *closes, *scope_of, *mark_of_tag, *regions;      /* dicts */
    PyObject *p_scope, *table_scope, *p_only, *p_tag, *svg_tag, *math_tag, *empty; /* tuples; tags; '' */
    PyObject *no_attributes;                                                /* dict */
    PyObject *block, *list_info, *mark, *heading, *link_of;                 /* callables */
    PyObject *code_placeholder, *hard_break, *space, *root_tag, *root_kind, *heading_kind;
    PyObject *s_items, *s_text, *s_start, *s_end, *s_has_main, *s_has_selected, *s_has_html_element;
    PyObject *s_read_lang, *s_read_meta, *s_image, *s_finish_title, *s_hidden, *s_role, *s_href;
    PyObject *region[2][2]; /* _REGIONS[main, selected] */
    Py_ssize_t max_walk;
    int max_open_marks;
} Tables;

static Tables tables;
static int tables_ready = 0;

#define MARKS_AT_MOST 16

typedef struct {
    PyObject *tag, *kind, *item, *region; /* owned; item is None outside list items */
    long level;
    char ordered, skip, main, selected;
    Py_ssize_t list_id; /* the innermost list this element is in, or -1 */
    unsigned long long serial; /* tells frames apart, as the Python compares them with 'is' */
} Frame;

typedef struct { /* what a block takes from the element its first text is in */
    PyObject *kind, *item, *region;
    long level;
    char ordered;
} Owner;

typedef struct {
    PyObject *kind;
    SourceTextObject *text;
    unsigned long long frame;
} OpenMark;

typedef struct {
    PyObject_HEAD
    Py_ssize_t token_start;
    PyObject *parts, *selected_starts, *open; /* HtmlParts; frozenset of offsets; tag -> open count */
    PyObject *blocks, *lists, *marks, *headings, *links, *images; /* parts' lists */
    Frame *stack;
    Py_ssize_t depth, capacity;
    unsigned long long serials;
    SourceTextObject *buf;
    Owner owner;
    char buf_started;
    PyObject *link, *link_region; /* the open link, or NULL */
    SourceTextObject *link_text;
    unsigned long long link_frame;
    SourceTextObject *heading_text; /* the open heading, or NULL */
    long heading_level;
    Py_ssize_t heading_start;
    unsigned long long heading_frame;
    PyObject *title; /* a SourceText while <title> is open; else NULL or None */
    Py_ssize_t title_start;
    char title_done;
    OpenMark open_marks[MARKS_AT_MOST];
    int n_marks;
} PageBuilderObject;

static PyTypeObject PageBuilderType;

static inline int is_tag(PyObject *tag, const char *name) { return PyUnicode_CompareWithASCIIString(tag, name) == 0; }

static inline Frame *top_frame(PageBuilderObject *self) { return &self->stack[self->depth - 1]; }

static void release_frame(Frame *frame)
{
    Py_CLEAR(frame->tag);
    Py_CLEAR(frame->kind);
    Py_CLEAR(frame->item);
    Py_CLEAR(frame->region);
}

static int same_text(PyObject *a, PyObject *b) { return a == b || PyUnicode_Compare(a, b) == 0; }

/* text.has_letter_or_digit: [^\W_] is what str.isalnum() accepts. */
static int has_letter_or_digit(PyObject *text)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (Py_UNICODE_ISALNUM(PyUnicode_READ(kind, data, i))) return 1;
    }
    return 0;
}

/* str.isspace(): at least one character, all white space. */
static int all_space(PyObject *text)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) return 0;
    }
    return n > 0;
}

/* tag[0] == "h" and tag[1:].isdigit(): 1 with *level = int(tag[1]), 0 if not, -1 on an
 * error (int() refuses digits that are not decimal, such as '²', as the Python does). */
static int heading_tag(PyObject *tag, long *level)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(tag);
    if (n < 2 || PyUnicode_READ_CHAR(tag, 0) != 'h') return 0;
    for (Py_ssize_t i = 1; i < n; i++) {
        if (!Py_UNICODE_ISDIGIT(PyUnicode_READ_CHAR(tag, i))) return 0;
    }
    Py_UCS4 first = PyUnicode_READ_CHAR(tag, 1);
    if (first >= '0' && first <= '9') {
        *level = (long)(first - '0');
        return 1;
    }
    PyObject *digit = PyUnicode_Substring(tag, 1, 2);
    PyObject *value = digit != NULL ? PyLong_FromUnicodeObject(digit, 10) : NULL;
    Py_XDECREF(digit);
    if (value == NULL) return -1;
    *level = PyLong_AsLong(value);
    Py_DECREF(value);
    return *level == -1 && PyErr_Occurred() ? -1 : 1;
}

/* (attrs.get(name) or "").lower() == value */
static int attribute_is(PyObject *attrs, PyObject *name, const char *value)
{
    PyObject *found = PyDict_GetItemWithError(attrs, name);
    if (found == NULL) return PyErr_Occurred() ? -1 : 0;
    int truth = PyObject_IsTrue(found);
    if (truth <= 0) return truth < 0 ? -1 : strcmp(value, "") == 0;
    PyObject *lower = PyObject_CallMethod(found, "lower", NULL);
    if (lower == NULL) return -1;
    int equal = PyUnicode_Check(lower) && PyUnicode_CompareWithASCIIString(lower, value) == 0;
    Py_DECREF(lower);
    return equal;
}

static long open_count(PageBuilderObject *self, PyObject *tag)
{
    PyObject *count = PyDict_GetItemWithError(self->open, tag);
    if (count == NULL) return PyErr_Occurred() ? -1 : 0;
    return PyLong_AsLong(count);
}

static int add_open(PageBuilderObject *self, PyObject *tag, long change)
{
    long count = open_count(self, tag);
    if (count == -1 && PyErr_Occurred()) return -1;
    PyObject *value = PyLong_FromLong(count + change);
    if (value == NULL) return -1;
    int failed = PyDict_SetItem(self->open, tag, value);
    Py_DECREF(value);
    return failed;
}

static int append_pair(PyObject *list, PyObject *first, PyObject *second)
{
    PyObject *pair = PyTuple_Pack(2, first, second);
    if (pair == NULL) return -1;
    int failed = PyList_Append(list, pair);
    Py_DECREF(pair);
    return failed;
}

static SourceTextObject *normalised_of(SourceTextObject *text, int keep_newlines)
{
    PyObject *flag = keep_newlines ? Py_True : Py_False;
    return (SourceTextObject *)source_text_normalised(text, &flag, 1, NULL);
}

/* The source span of a normalised text: its own, or (fallback, fallback_end) when empty. */
static int span_or(SourceTextObject *text, Py_ssize_t fallback, Py_ssize_t fallback_end, Py_ssize_t *start,
                   Py_ssize_t *end)
{
    if (text->length == 0) {
        *start = fallback;
        *end = fallback_end;
        return 0;
    }
    return start_of(text, 0, start) < 0 || end_of(text, text->length - 1, end) < 0 ? -1 : 0;
}

static int set_owner(PageBuilderObject *self, const Frame *frame)
{
    Py_INCREF(frame->kind);
    Py_INCREF(frame->item);
    Py_INCREF(frame->region);
    Py_XSETREF(self->owner.kind, frame->kind);
    Py_XSETREF(self->owner.item, frame->item);
    Py_XSETREF(self->owner.region, frame->region);
    self->owner.level = frame->level;
    self->owner.ordered = frame->ordered;
    return 0;
}

static int builder_text(PageBuilderObject *self, PyObject *chars, Py_ssize_t start, Py_ssize_t end)
{
    if (self->title != NULL && self->title != Py_None) {
        if (!Py_IS_TYPE(self->title, &SourceTextType)) {
            PyErr_SetString(PyExc_TypeError, "PageBuilder._title must be a SourceText");
            return -1;
        }
        return append_text((SourceTextObject *)self->title, chars, start, end);
    }
    Frame *frame = top_frame(self);
    if (frame->skip) return 0;
    if (!self->buf_started) {
        set_owner(self, frame);
        self->buf_started = 1;
    }
    if ((!all_space(chars) || self->buf->length > 0) && append_text(self->buf, chars, start, end) < 0) return -1;
    if (self->link != NULL && append_text(self->link_text, chars, start, end) < 0) return -1;
    if (self->heading_text != NULL && append_text(self->heading_text, chars, start, end) < 0) return -1;
    for (int k = 0; k < self->n_marks; k++) {
        if (append_text(self->open_marks[k].text, chars, start, end) < 0) return -1;
    }
    return 0;
}

static int builder_flush(PageBuilderObject *self)
{
    if (!self->buf_started) return 0;
    self->buf_started = 0;
    SourceTextObject *buf = self->buf;
    if (buf->length == 0) return 0;
    PyObject *text = source_text_get_text(buf, NULL);
    if (text == NULL) return -1;
    int prose = has_letter_or_digit(text);
    Py_DECREF(text);
    if (!prose) {
        PyObject *done = source_text_clear(buf, NULL);
        Py_XDECREF(done);
        return done == NULL ? -1 : 0;
    }
    SourceTextObject *fresh = (SourceTextObject *)new_source_text();
    if (fresh == NULL) return -1;
    self->buf = fresh; /* the old buffer is ours to normalise and let go */
    PyObject *content = (PyObject *)normalised_of(buf, 1);
    Py_DECREF(buf);
    if (content == NULL) return -1;
    int heading = same_text(self->owner.kind, tables.heading_kind);
    PyObject *level = PyLong_FromLong(heading ? self->owner.level : 0);
    if (level == NULL) {
        Py_DECREF(content);
        return -1;
    }
    PyObject *args[5] = {self->owner.kind, content, level, self->owner.ordered ? Py_True : Py_False,
                         self->owner.item};
    PyObject *block = PyObject_Vectorcall(tables.block, args, 5, NULL);
    Py_DECREF(content);
    Py_DECREF(level);
    if (block == NULL) return -1;
    int failed = append_pair(self->blocks, block, self->owner.region);
    Py_DECREF(block);
    return failed;
}

static int close_link(PageBuilderObject *self)
{
    if (self->link == NULL) return 0;
    PyObject *link = self->link, *region = self->link_region;
    SourceTextObject *text = self->link_text;
    self->link = self->link_region = NULL;
    self->link_text = NULL;
    int failed = -1;
    SourceTextObject *content = normalised_of(text, 0);
    PyObject *value = content != NULL ? source_text_get_text(content, NULL) : NULL;
    if (value == NULL || PyObject_SetAttr(link, tables.s_text, value) < 0) goto done;
    PyObject *start = NULL, *end = NULL;
    if (content->length) {
        Py_ssize_t from, to;
        if (span_or(content, 0, 0, &from, &to) < 0) goto done;
        start = PyLong_FromSsize_t(from);
        end = PyLong_FromSsize_t(to);
        if (start == NULL || end == NULL || PyObject_SetAttr(link, tables.s_start, start) < 0) goto ends;
    }
    else {
        PyObject *one = PyLong_FromLong(1);
        start = PyObject_GetAttr(link, tables.s_start);
        end = start != NULL && one != NULL ? PyNumber_Add(start, one) : NULL;
        Py_XDECREF(one);
        if (end == NULL) goto ends;
    }
    if (PyObject_SetAttr(link, tables.s_end, end) == 0) failed = append_pair(self->links, link, region);
ends:
    Py_XDECREF(start);
    Py_XDECREF(end);
done:
    Py_XDECREF(value);
    Py_XDECREF(content);
    Py_DECREF(link);
    Py_DECREF(region);
    Py_DECREF(text);
    return failed;
}

/* A text's normalised words and span made into cls(first, words, start, end), added with
 * region to list: a mark (first = its kind) or a heading (first = its level). */
static int add_spanned(PyObject *list, PyObject *cls, PyObject *first, SourceTextObject *text, int keep_empty,
                       Py_ssize_t fallback, PyObject *region)
{
    SourceTextObject *content = normalised_of(text, 0);
    if (content == NULL) return -1;
    int failed = 0;
    if (content->length || keep_empty) {
        Py_ssize_t start, end;
        PyObject *words = NULL, *made = NULL;
        failed = -1;
        if (span_or(content, fallback, fallback + 1, &start, &end) == 0
            && (words = source_text_get_text(content, NULL)) != NULL
            && (made = PyObject_CallFunction(cls, "OOnn", first, words, start, end)) != NULL)
            failed = append_pair(list, made, region);
        Py_XDECREF(words);
        Py_XDECREF(made);
    }
    Py_DECREF(content);
    return failed;
}

static int on_close(PageBuilderObject *self, Frame *frame)
{
    int block = PySet_Contains(tables.block_tags, frame->tag);
    if (block < 0 || (block && builder_flush(self) < 0)) return -1;
    if (self->n_marks && self->open_marks[self->n_marks - 1].frame == frame->serial) {
        OpenMark mark = self->open_marks[--self->n_marks];
        int failed = add_spanned(self->marks, tables.mark, mark.kind, mark.text, 0, 0, frame->region);
        Py_DECREF(mark.kind);
        Py_DECREF(mark.text);
        if (failed < 0) return -1;
    }
    if (self->link != NULL && self->link_frame == frame->serial && close_link(self) < 0) return -1;
    if (self->heading_text != NULL && self->heading_frame == frame->serial) {
        SourceTextObject *text = self->heading_text;
        self->heading_text = NULL;
        PyObject *level = PyLong_FromLong(self->heading_level);
        int failed = level == NULL ? -1
                     : add_spanned(self->headings, tables.heading, level, text, 1, self->heading_start, frame->region);
        Py_XDECREF(level);
        Py_DECREF(text);
        if (failed < 0) return -1;
    }
    if (frame->skip && !top_frame(self)->skip) return builder_text(self, tables.space, self->token_start, NO_END);
    return 0;
}

/* Close tag and every element opened inside it. */
static int pop_to(PageBuilderObject *self, PyObject *tag)
{
    while (self->depth > 1) {
        Frame frame = self->stack[--self->depth];
        int failed = add_open(self, frame.tag, -1) < 0 || on_close(self, &frame) < 0;
        int found = !failed && same_text(frame.tag, tag);
        release_frame(&frame);
        if (failed) return -1;
        if (found) return 0;
    }
    return 0;
}

static int tuple_has(PyObject *tuple, PyObject *tag)
{
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(tuple); k++) {
        if (same_text(PyTuple_GET_ITEM(tuple, k), tag)) return 1;
    }
    return 0;
}

/* Close the nearest open element among tags unless a bound comes first (a capped walk). */
static int close_nearest(PageBuilderObject *self, PyObject *tags, PyObject *bounds)
{
    Py_ssize_t lowest = Py_MAX(0, self->depth - tables.max_walk);
    for (Py_ssize_t k = self->depth - 1; k >= lowest; k--) {
        PyObject *tag = self->stack[k].tag;
        if (tuple_has(tags, tag)) {
            Py_INCREF(tag);
            int failed = pop_to(self, tag);
            Py_DECREF(tag);
            return failed;
        }
        if (tuple_has(bounds, tag)) return 0;
    }
    return 0;
}

static int close_implied(PageBuilderObject *self, PyObject *tag)
{
    int closer = PySet_Contains(tables.p_closers, tag);
    if (closer < 0) return -1;
    if (closer) {
        long open = open_count(self, tables.p_tag);
        if (open == -1 && PyErr_Occurred()) return -1;
        if (open && close_nearest(self, tables.p_only, tables.p_scope) < 0) return -1;
    }
    PyObject *closes = PyDict_GetItemWithError(tables.closes, tag);
    if (closes == NULL) return PyErr_Occurred() ? -1 : 0;
    PyObject *scope = PyDict_GetItemWithError(tables.scope_of, tag);
    if (scope == NULL && PyErr_Occurred()) return -1;
    return close_nearest(self, closes, scope != NULL ? scope : tables.table_scope);
}

static int grow_stack(PageBuilderObject *self)
{
    if (self->depth < self->capacity) return 0;
    Py_ssize_t capacity = self->capacity * 2;
    Frame *stack = PyMem_Realloc(self->stack, capacity * sizeof(Frame));
    if (stack == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->stack = stack;
    self->capacity = capacity;
    return 0;
}

static int set_part_flag(PageBuilderObject *self, PyObject *name)
{
    if (self->parts == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "PageBuilder: parts was deleted");
        return -1;
    }
    return PyObject_SetAttr(self->parts, name, Py_True);
}

/* Open an element (_PageParser._push): what it inherits, and the list it starts or the
 * item it is. */
static int push(PageBuilderObject *self, PyObject *tag, PyObject *attrs, Py_ssize_t start)
{
    if (grow_stack(self) < 0) return -1;
    Frame *parent = top_frame(self);
    Frame frame = {0};
    frame.kind = PyDict_GetItemWithError(tables.kind_of_tag, tag);
    if (frame.kind == NULL && PyErr_Occurred()) return -1;
    if (frame.kind == NULL) frame.kind = parent->kind;
    frame.level = parent->level;
    if (same_text(frame.kind, tables.heading_kind) && heading_tag(tag, &frame.level) < 0) return -1;
    int is_list = is_tag(tag, "ul") || is_tag(tag, "ol") || is_tag(tag, "menu");
    frame.ordered = is_list ? is_tag(tag, "ol") : parent->ordered;
    int hidden = PyDict_Contains(attrs, tables.s_hidden), skipped = PySet_Contains(tables.skip_tags, tag);
    if (hidden < 0 || skipped < 0) return -1;
    frame.skip = parent->skip || skipped || is_tag(tag, "head") || hidden;
    int is_main = is_tag(tag, "main");
    if (!is_main && (is_main = attribute_is(attrs, tables.s_role, "main")) < 0) return -1;
    if (is_main && set_part_flag(self, tables.s_has_main) < 0) return -1;
    int chosen = 0;
    if (PySet_GET_SIZE(self->selected_starts)) {
        PyObject *offset = PyLong_FromSsize_t(start);
        chosen = offset != NULL ? PySet_Contains(self->selected_starts, offset) : -1;
        Py_XDECREF(offset);
        if (chosen < 0 || (chosen && set_part_flag(self, tables.s_has_selected) < 0)) return -1;
    }
    frame.selected = parent->selected || chosen;
    frame.main = parent->main || is_main;
    frame.region = tables.region[frame.main != 0][frame.selected != 0];
    frame.list_id = parent->list_id;
    frame.item = parent->item;
    Py_INCREF(frame.item);
    if (is_list && !frame.skip) {
        frame.list_id = PyList_GET_SIZE(self->lists);
        Py_SETREF(frame.item, Py_NewRef(Py_None));
        PyObject *info = PyObject_CallFunction(tables.list_info, "On", is_tag(tag, "ol") ? Py_True : Py_False, start);
        int failed = info == NULL || append_pair(self->lists, info, frame.region) < 0;
        Py_XDECREF(info);
        if (failed) goto fail;
    }
    else if (is_tag(tag, "li") && frame.list_id >= 0) {
        PyObject *info = PyTuple_GET_ITEM(PyList_GET_ITEM(self->lists, frame.list_id), 0);
        PyObject *items = PyObject_GetAttr(info, tables.s_items), *more = NULL, *one = PyLong_FromLong(1);
        PyObject *item = items != NULL ? Py_BuildValue("(nO)", frame.list_id, items) : NULL;
        more = items != NULL && one != NULL ? PyNumber_Add(items, one) : NULL;
        int failed = item == NULL || more == NULL || PyObject_SetAttr(info, tables.s_items, more) < 0;
        Py_XDECREF(items);
        Py_XDECREF(more);
        Py_XDECREF(one);
        if (failed) {
            Py_XDECREF(item);
            goto fail;
        }
        Py_SETREF(frame.item, item);
    }
    if (add_open(self, tag, 1) < 0) goto fail;
    frame.tag = Py_NewRef(tag);
    Py_INCREF(frame.kind);
    Py_INCREF(frame.region);
    frame.serial = ++self->serials;
    self->stack[self->depth++] = frame;
    return 0;
fail:
    Py_XDECREF(frame.item);
    return -1;
}

static PyObject *call_self(PageBuilderObject *self, PyObject *name, PyObject *one, PyObject *two, Py_ssize_t start)
{
    PyObject *offset = PyLong_FromSsize_t(start);
    if (offset == NULL) return NULL;
    PyObject *args[4] = {(PyObject *)self, one != NULL ? one : offset, offset, two};
    size_t count = one == NULL ? 2 : two == NULL ? 3 : 4;
    PyObject *done = PyObject_VectorcallMethod(name, args, count | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    Py_DECREF(offset);
    return done;
}

static int call_self_done(PyObject *done)
{
    if (done == NULL) return -1;
    Py_DECREF(done);
    return 0;
}

static int void_tag(PageBuilderObject *self, PyObject *tag, PyObject *attrs, Py_ssize_t start)
{
    Frame *frame = top_frame(self);
    if (is_tag(tag, "br")) return builder_text(self, tables.hard_break, start, NO_END);
    if (is_tag(tag, "img") && !frame->skip) {
        PyObject *region = Py_NewRef(frame->region);
        int failed = call_self_done(call_self(self, tables.s_image, attrs, region, start));
        Py_DECREF(region);
        return failed < 0 ? -1 : builder_text(self, tables.space, start, NO_END);
    }
    if (is_tag(tag, "hr") || is_tag(tag, "input")) return builder_flush(self);
    return 0;
}

static PyObject *attribute_dict(PyObject *attr_list)
{
    if (!PyList_Check(attr_list)) {
        PyErr_SetString(PyExc_TypeError, "PageBuilder: attributes must be a list of (name, value) pairs");
        return NULL;
    }
    if (PyList_GET_SIZE(attr_list) == 0) return Py_NewRef(tables.no_attributes);
    PyObject *attrs = PyDict_New();
    if (attrs == NULL) return NULL;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(attr_list); k++) {
        PyObject *pair = PyList_GET_ITEM(attr_list, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "PageBuilder: attributes must be (name, value) pairs");
            goto fail;
        }
        PyObject *value = PyTuple_GET_ITEM(pair, 1);
        if (PyDict_SetItem(attrs, PyTuple_GET_ITEM(pair, 0), value == Py_None ? tables.empty : value) < 0) goto fail;
    }
    return attrs;
fail:
    Py_DECREF(attrs);
    return NULL;
}

static int start_element(PageBuilderObject *self, PyObject *tag, PyObject *attrs, Py_ssize_t start)
{
    if (is_tag(tag, "html")) {
        if (set_part_flag(self, tables.s_has_html_element) < 0
            || call_self_done(call_self(self, tables.s_read_lang, NULL, NULL, start)) < 0)
            return -1;
    }
    if (close_implied(self, tag) < 0) return -1;
    int block = PySet_Contains(tables.block_tags, tag);
    if (block < 0 || (block && builder_flush(self) < 0)) return -1;
    if (is_tag(tag, "title")) {
        long in_svg = open_count(self, tables.svg_tag), in_math = open_count(self, tables.math_tag);
        if ((in_svg == -1 || in_math == -1) && PyErr_Occurred()) return -1;
        if (!in_svg && !in_math && !self->title_done) {
            PyObject *title = new_source_text();
            if (title == NULL) return -1;
            Py_XSETREF(self->title, title);
            self->title_start = start;
        }
    }
    else if (is_tag(tag, "meta") && call_self_done(call_self(self, tables.s_read_meta, attrs, NULL, start)) < 0)
        return -1;
    int is_void = PySet_Contains(tables.void_tags, tag);
    if (is_void < 0) return -1;
    if (is_void) return void_tag(self, tag, attrs, start);
    if (!top_frame(self)->skip) {
        if ((is_tag(tag, "sup") || is_tag(tag, "sub")) && builder_text(self, tables.space, start, NO_END) < 0)
            return -1;
        int skipped = PySet_Contains(tables.skip_tags, tag), hidden = PyDict_Contains(attrs, tables.s_hidden);
        if (skipped < 0 || hidden < 0) return -1;
        if (skipped || hidden) {
            int code = PySet_Contains(tables.inline_code, tag);
            if (code < 0 || builder_text(self, code ? tables.code_placeholder : tables.space, start, NO_END) < 0)
                return -1;
        }
    }
    if (push(self, tag, attrs, start) < 0) return -1;
    Frame *frame = top_frame(self);
    if (frame->skip) return 0;
    int has_href = PyDict_Contains(attrs, tables.s_href);
    if (has_href < 0) return -1;
    if (is_tag(tag, "a") && has_href) {
        PyObject *args[4] = {attrs, NULL, same_text(frame->kind, tables.heading_kind) ? Py_True : Py_False,
                             frame->item != Py_None ? Py_True : Py_False};
        if ((args[1] = PyLong_FromSsize_t(start)) == NULL) return -1;
        PyObject *link = PyObject_Vectorcall(tables.link_of, args, 4, NULL);
        Py_DECREF(args[1]);
        if (link == NULL) return -1;
        if (link != Py_None) {
            SourceTextObject *text = (SourceTextObject *)new_source_text();
            if (text == NULL || close_link(self) < 0) {
                Py_XDECREF(text);
                Py_DECREF(link);
                return -1;
            }
            self->link = link;
            self->link_text = text;
            self->link_frame = frame->serial;
            self->link_region = Py_NewRef(frame->region);
            return 0;
        }
        Py_DECREF(link);
        return 0; /* not a link: neither a mark nor a heading either */
    }
    PyObject *mark = PyDict_GetItemWithError(tables.mark_of_tag, tag);
    if (mark == NULL && PyErr_Occurred()) return -1;
    if (mark != NULL) {
        if (self->n_marks < tables.max_open_marks) {
            SourceTextObject *text = (SourceTextObject *)new_source_text();
            if (text == NULL) return -1;
            self->open_marks[self->n_marks++] = (OpenMark){Py_NewRef(mark), text, frame->serial};
        }
        return 0;
    }
    long level;
    int heading = same_text(frame->kind, tables.heading_kind) ? heading_tag(tag, &level) : 0;
    if (heading < 0) return -1;
    if (heading) {
        SourceTextObject *text = (SourceTextObject *)new_source_text();
        if (text == NULL) return -1;
        Py_XSETREF(self->heading_text, text);
        self->heading_level = frame->level;
        self->heading_start = start;
        self->heading_frame = frame->serial;
    }
    return 0;
}

/* Whether _begin() made the root element: every handler needs it. */
static int begun(PageBuilderObject *self)
{
    if (self->depth > 0) return 1;
    PyErr_SetString(PyExc_RuntimeError, "PageBuilder: call _begin() before handing it tokens");
    return 0;
}

static int builder_start_tag(PyObject *builder, PyObject *tag, PyObject *attr_list)
{
    if (!begun((PageBuilderObject *)builder)) return -1;
    PyObject *attrs = attribute_dict(attr_list);
    if (attrs == NULL) return -1;
    PageBuilderObject *self = (PageBuilderObject *)builder;
    int failed = start_element(self, tag, attrs, self->token_start);
    Py_DECREF(attrs);
    return failed;
}

static int builder_end_tag(PyObject *builder, PyObject *tag)
{
    PageBuilderObject *self = (PageBuilderObject *)builder;
    if (!begun(self)) return -1;
    int block = PySet_Contains(tables.block_tags, tag);
    if (block < 0 || (block && builder_flush(self) < 0)) return -1;
    if (is_tag(tag, "title") && self->title != NULL && self->title != Py_None) {
        PyObject *done = PyObject_CallMethodNoArgs(builder, tables.s_finish_title);
        if (call_self_done(done) < 0) return -1;
    }
    long open = open_count(self, tag);
    if (open == -1 && PyErr_Occurred()) return -1;
    if (open) return pop_to(self, tag);
    if (is_tag(tag, "br")) return builder_text(self, tables.hard_break, self->token_start, NO_END);
    return 0;
}

static int builder_data(PyObject *builder, PyObject *data)
{
    PageBuilderObject *self = (PageBuilderObject *)builder;
    if (!begun(self)) return -1;
    return builder_text(self, data, self->token_start, NO_END);
}

static void builder_set_start(PyObject *builder, Py_ssize_t offset)
{
    ((PageBuilderObject *)builder)->token_start = offset;
}

static int builder_close_all(PageBuilderObject *self)
{
    while (self->depth > 1) {
        PyObject *tag = Py_NewRef(top_frame(self)->tag);
        int failed = pop_to(self, tag);
        Py_DECREF(tag);
        if (failed < 0) return -1;
    }
    return builder_flush(self);
}

/* ---- the Python face of PageBuilder ---- */

static PyObject *none_or_null(int failed)
{
    if (failed < 0) return NULL;
    Py_RETURN_NONE;
}

static int unicode_argument(PyObject *value, const char *what)
{
    if (PyUnicode_Check(value)) return 0;
    PyErr_Format(PyExc_TypeError, "PageBuilder: %s must be a str", what);
    return -1;
}

static PyObject *page_builder_handle_starttag(PageBuilderObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "handle_starttag(tag, attrs)");
        return NULL;
    }
    if (unicode_argument(args[0], "a tag") < 0) return NULL;
    return none_or_null(builder_start_tag((PyObject *)self, args[0], args[1]));
}

static PyObject *page_builder_handle_endtag(PageBuilderObject *self, PyObject *tag)
{
    if (unicode_argument(tag, "a tag") < 0) return NULL;
    return none_or_null(builder_end_tag((PyObject *)self, tag));
}

static PyObject *page_builder_handle_data(PageBuilderObject *self, PyObject *data)
{
    if (unicode_argument(data, "text") < 0) return NULL;
    return none_or_null(builder_data((PyObject *)self, data));
}

static PyObject *page_builder_text(PageBuilderObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 2 || nargs > 3 || unicode_argument(args[0], "text") < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "_text(chars, start, end=None)");
        return NULL;
    }
    Py_ssize_t start = PyLong_AsSsize_t(args[1]), end = NO_END;
    if (start == -1 && PyErr_Occurred()) return NULL;
    if (nargs == 3 && args[2] != Py_None && (end = PyLong_AsSsize_t(args[2])) == -1 && PyErr_Occurred()) return NULL;
    return begun(self) ? none_or_null(builder_text(self, args[0], start, end)) : NULL;
}

static PyObject *page_builder_flush(PageBuilderObject *self, PyObject *Py_UNUSED(ignored))
{
    return begun(self) ? none_or_null(builder_flush(self)) : NULL;
}

static PyObject *page_builder_close_all(PageBuilderObject *self, PyObject *Py_UNUSED(ignored))
{
    return begun(self) ? none_or_null(builder_close_all(self)) : NULL;
}

static PyObject *parts_list(PyObject *parts, const char *name)
{
    PyObject *list = PyObject_GetAttrString(parts, name);
    if (list != NULL && !PyList_Check(list)) {
        PyErr_Format(PyExc_TypeError, "PageBuilder: parts.%s must be a list", name);
        Py_CLEAR(list);
    }
    return list;
}

/* _begin(begin, selected_starts): start building into self.parts, which must be set. */
static PyObject *page_builder_begin(PageBuilderObject *self, PyObject *args)
{
    Py_ssize_t begin;
    PyObject *selected;
    if (!PyArg_ParseTuple(args, "nO!", &begin, &PyFrozenSet_Type, &selected)) return NULL;
    if (!tables_ready) {
        PyErr_SetString(PyExc_RuntimeError, "lgcontent._speedups: configure_builder() was not called");
        return NULL;
    }
    if (self->parts == NULL || self->parts == Py_None) {
        PyErr_SetString(PyExc_RuntimeError, "PageBuilder: set parts before _begin()");
        return NULL;
    }
    PyObject **lists[] = {&self->blocks, &self->lists, &self->marks, &self->headings, &self->links, &self->images};
    const char *names[] = {"blocks", "lists", "marks", "headings", "links", "images"};
    for (int k = 0; k < 6; k++) {
        PyObject *list = parts_list(self->parts, names[k]);
        if (list == NULL) return NULL;
        Py_XSETREF(*lists[k], list);
    }
    Py_XSETREF(self->selected_starts, Py_NewRef(selected));
    PyObject *region = tables.region[0][0];
    while (self->depth > 0) release_frame(&self->stack[--self->depth]);
    Frame root = {Py_NewRef(tables.root_tag), Py_NewRef(tables.root_kind), Py_NewRef(Py_None), Py_NewRef(region),
                  0, 0, 0, 0, 0, -1, 0};
    self->stack[self->depth++] = root;
    self->token_start = begin;
    Py_RETURN_NONE;
}

static PyObject *page_builder_get_link(PageBuilderObject *self, void *Py_UNUSED(closure))
{
    if (self->link == NULL) Py_RETURN_NONE;
    return Py_BuildValue("(OOKO)", self->link, (PyObject *)self->link_text, self->link_frame, self->link_region);
}

static PyObject *page_builder_new(PyTypeObject *type, PyObject *Py_UNUSED(args), PyObject *Py_UNUSED(kwargs))
{
    PageBuilderObject *self = (PageBuilderObject *)type->tp_alloc(type, 0);
    if (self == NULL) return NULL;
    self->capacity = 16;
    self->stack = PyMem_Malloc(self->capacity * sizeof(Frame));
    self->open = PyDict_New();
    self->buf = (SourceTextObject *)new_source_text();
    if (self->stack == NULL || self->open == NULL || self->buf == NULL) {
        if (self->stack == NULL) PyErr_NoMemory();
        Py_DECREF(self);
        return NULL;
    }
    return (PyObject *)self;
}

static int page_builder_traverse(PageBuilderObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->parts);
    Py_VISIT(self->selected_starts);
    Py_VISIT(self->open);
    Py_VISIT(self->blocks);
    Py_VISIT(self->lists);
    Py_VISIT(self->marks);
    Py_VISIT(self->headings);
    Py_VISIT(self->links);
    Py_VISIT(self->images);
    Py_VISIT(self->owner.kind);
    Py_VISIT(self->owner.item);
    Py_VISIT(self->owner.region);
    Py_VISIT(self->link);
    Py_VISIT(self->link_region);
    Py_VISIT(self->title);
    for (Py_ssize_t k = 0; k < self->depth; k++) {
        Py_VISIT(self->stack[k].tag);
        Py_VISIT(self->stack[k].kind);
        Py_VISIT(self->stack[k].item);
        Py_VISIT(self->stack[k].region);
    }
    for (int k = 0; k < self->n_marks; k++) Py_VISIT(self->open_marks[k].kind);
    return 0;
}

static int page_builder_clear(PageBuilderObject *self)
{
    Py_CLEAR(self->parts);
    Py_CLEAR(self->selected_starts);
    Py_CLEAR(self->open);
    Py_CLEAR(self->blocks);
    Py_CLEAR(self->lists);
    Py_CLEAR(self->marks);
    Py_CLEAR(self->headings);
    Py_CLEAR(self->links);
    Py_CLEAR(self->images);
    Py_CLEAR(self->buf);
    Py_CLEAR(self->owner.kind);
    Py_CLEAR(self->owner.item);
    Py_CLEAR(self->owner.region);
    Py_CLEAR(self->link);
    Py_CLEAR(self->link_region);
    Py_CLEAR(self->link_text);
    Py_CLEAR(self->heading_text);
    Py_CLEAR(self->title);
    while (self->depth > 0) release_frame(&self->stack[--self->depth]);
    while (self->n_marks > 0) {
        OpenMark *mark = &self->open_marks[--self->n_marks];
        Py_CLEAR(mark->kind);
        Py_CLEAR(mark->text);
    }
    return 0;
}

static void page_builder_dealloc(PageBuilderObject *self)
{
    PyObject_GC_UnTrack(self);
    page_builder_clear(self);
    PyMem_Free(self->stack);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef page_builder_methods[] = {
    {"handle_starttag", (PyCFunction)(void (*)(void))page_builder_handle_starttag, METH_FASTCALL,
     "An element starts: close the ones it implies, end the block, open it."},
    {"handle_startendtag", (PyCFunction)(void (*)(void))page_builder_handle_starttag, METH_FASTCALL,
     "<tag/>: read as a start tag, as browsers do."},
    {"handle_endtag", (PyCFunction)page_builder_handle_endtag, METH_O, "An element ends."},
    {"handle_data", (PyCFunction)page_builder_handle_data, METH_O, "Text, at token_start."},
    {"_text", (PyCFunction)(void (*)(void))page_builder_text, METH_FASTCALL,
     "_text(chars, start, end=None): add text that came from source start (to end)."},
    {"_flush", (PyCFunction)page_builder_flush, METH_NOARGS, "End the block of text being gathered."},
    {"_close_all", (PyCFunction)page_builder_close_all, METH_NOARGS, "Close every open element (the page ended)."},
    {"_begin", (PyCFunction)page_builder_begin, METH_VARARGS,
     "_begin(begin, selected_starts): start building into self.parts."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef page_builder_members[] = {
    {"token_start", T_PYSSIZET, offsetof(PageBuilderObject, token_start), 0,
     "The source offset of the token being handled."},
    {"parts", T_OBJECT, offsetof(PageBuilderObject, parts), 0, "The HtmlParts being filled."},
    {"_title", T_OBJECT, offsetof(PageBuilderObject, title), 0, "The title's text while <title> is open."},
    {"_title_start", T_PYSSIZET, offsetof(PageBuilderObject, title_start), 0, "Where <title> started."},
    {"_title_done", T_BOOL, offsetof(PageBuilderObject, title_done), 0, "Whether the title was read."},
    {NULL, 0, 0, 0, NULL},
};

static PyGetSetDef page_builder_getset[] = {
    {"_link", (getter)page_builder_get_link, NULL, "(Link, its text, its element, region) while a link is open.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject PageBuilderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "lgcontent._speedups.PageBuilder",
    .tp_doc = "The HTML page builder of loaders/html.py (_PageParser), in C: a base class.",
    .tp_basicsize = sizeof(PageBuilderObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_new = page_builder_new,
    .tp_dealloc = (destructor)page_builder_dealloc,
    .tp_traverse = (traverseproc)page_builder_traverse,
    .tp_clear = (inquiry)page_builder_clear,
    .tp_methods = page_builder_methods,
    .tp_members = page_builder_members,
    .tp_getset = page_builder_getset,
};

/* configure_builder(**tables): html.py's tables and the classes the parts are made of. */
static PyObject *configure_builder(PyObject *Py_UNUSED(module), PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) || kwargs == NULL) {
        PyErr_SetString(PyExc_TypeError, "configure_builder(**tables) takes keyword arguments only");
        return NULL;
    }
    static const char *names[] = {"block_tags", "skip_tags", "void_tags", "p_closers", "inline_code",
                                  "kind_of_tag", "closes", "scope_of", "mark_of_tag", "regions", "p_scope",
                                  "no_attributes", "block", "list_info", "mark", "heading", "link_of",
                                  "code_placeholder", "hard_break"};
    PyObject **slots[] = {&tables.block_tags, &tables.skip_tags, &tables.void_tags, &tables.p_closers,
                          &tables.inline_code, &tables.kind_of_tag, &tables.closes, &tables.scope_of,
                          &tables.mark_of_tag, &tables.regions, &tables.p_scope, &tables.no_attributes,
                          &tables.block, &tables.list_info, &tables.mark, &tables.heading, &tables.link_of,
                          &tables.code_placeholder, &tables.hard_break};
    const int count = (int)(sizeof(names) / sizeof(names[0]));
    for (int k = 0; k < count; k++) {
        PyObject *value = PyDict_GetItemString(kwargs, names[k]);
        if (value == NULL) {
            PyErr_Format(PyExc_TypeError, "configure_builder() needs %s", names[k]);
            return NULL;
        }
        Py_XSETREF(*slots[k], Py_NewRef(value));
    }
    PyObject *walk = PyDict_GetItemString(kwargs, "max_walk"), *marks = PyDict_GetItemString(kwargs, "max_open_marks");
    if (walk == NULL || marks == NULL) {
        PyErr_SetString(PyExc_TypeError, "configure_builder() needs max_walk and max_open_marks");
        return NULL;
    }
    tables.max_walk = PyLong_AsSsize_t(walk);
    long most = PyLong_AsLong(marks);
    if (PyErr_Occurred()) return NULL;
    if (most < 0 || most > MARKS_AT_MOST || tables.max_walk < 1) {
        PyErr_SetString(PyExc_ValueError, "configure_builder(): max_open_marks or max_walk out of range");
        return NULL;
    }
    tables.max_open_marks = (int)most;
    if (!PyTuple_Check(tables.p_scope) || !PyAnySet_Check(tables.block_tags) || !PyAnySet_Check(tables.skip_tags)
        || !PyAnySet_Check(tables.void_tags) || !PyAnySet_Check(tables.p_closers)
        || !PyAnySet_Check(tables.inline_code) || !PyDict_Check(tables.kind_of_tag) || !PyDict_Check(tables.closes)
        || !PyDict_Check(tables.scope_of) || !PyDict_Check(tables.mark_of_tag) || !PyDict_Check(tables.regions)
        || !PyDict_Check(tables.no_attributes) || !PyUnicode_Check(tables.code_placeholder)
        || !PyUnicode_Check(tables.hard_break)) {
        PyErr_SetString(PyExc_TypeError, "configure_builder(): a table of the wrong type");
        return NULL;
    }
    static const char *strings[] = {" ", "#root", "paragraph", "heading", "items", "text", "start", "end",
                                    "has_main", "has_selected", "has_html_element", "_read_lang", "_read_meta",
                                    "_image", "_finish_title", "hidden", "role", "href", "p", "svg", "math", ""};
    PyObject **string_slots[] = {&tables.space, &tables.root_tag, &tables.root_kind, &tables.heading_kind,
                                 &tables.s_items, &tables.s_text, &tables.s_start, &tables.s_end,
                                 &tables.s_has_main, &tables.s_has_selected, &tables.s_has_html_element,
                                 &tables.s_read_lang, &tables.s_read_meta, &tables.s_image, &tables.s_finish_title,
                                 &tables.s_hidden, &tables.s_role, &tables.s_href, &tables.p_tag, &tables.svg_tag,
                                 &tables.math_tag, &tables.empty};
    for (int k = 0; k < (int)(sizeof(strings) / sizeof(strings[0])); k++) {
        if (*string_slots[k] == NULL && (*string_slots[k] = PyUnicode_InternFromString(strings[k])) == NULL)
            return NULL;
    }
    if (tables.p_only == NULL && (tables.p_only = PyTuple_Pack(1, tables.p_tag)) == NULL) return NULL;
    if (tables.table_scope == NULL && (tables.table_scope = Py_BuildValue("(s)", "table")) == NULL) return NULL;
    for (int main = 0; main < 2; main++) {
        for (int selected = 0; selected < 2; selected++) {
            PyObject *key = Py_BuildValue("(OO)", main ? Py_True : Py_False, selected ? Py_True : Py_False);
            PyObject *region = key != NULL ? PyDict_GetItemWithError(tables.regions, key) : NULL;
            Py_XDECREF(key);
            if (region == NULL) {
                if (!PyErr_Occurred()) PyErr_SetString(PyExc_KeyError, "configure_builder(): a region is missing");
                return NULL;
            }
            Py_XSETREF(tables.region[main][selected], Py_NewRef(region));
        }
    }
    tables_ready = 1;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS,
     "configure(Sentence, syllables, ends_sentence, exceptions, abbreviations): what the C asks of text.py."},
    {"split_sentences", split_sentences, METH_O, "split_sentences(text): text.sentences, in C."},
    {"syllables", syllables, METH_O, "syllables(word): text.syllables, in C for ASCII words."},
    {"sentence_totals", sentence_totals, METH_O, "sentence_totals(sentences): text.sentence_totals, in C."},
    {"configure_tokens", configure_tokens, METH_VARARGS,
     "configure_tokens(raw_text_tags, plain_content_end, unescape): what the token reader asks of Python."},
    {"configure_source_text", configure_source_text, METH_VARARGS,
     "configure_source_text(offsets_view, hard_break): what SourceText asks of document.py."},
    {"configure_builder", (PyCFunction)(void (*)(void))configure_builder, METH_VARARGS | METH_KEYWORDS,
     "configure_builder(**tables): html.py's tables and classes, for PageBuilder."},
    {"read_plain_tokens", (PyCFunction)(void (*)(void))read_plain_tokens, METH_FASTCALL,
     "read_plain_tokens(parser, rawdata, base): TokenReader._read_plain_tokens, in C; where it stopped."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "lgcontent._speedups", "Compiled speed-ups for lgcontent (see _speedups.c).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__speedups(void)
{
    if (PyType_Ready(&SourceTextType) < 0 || PyType_Ready(&PageBuilderType) < 0) return NULL;
    PyObject *created = PyModule_Create(&module);
    if (created == NULL) return NULL;
    /* speedups.py uses the module only if it was built from this source: raise API
     * whenever a function, its arguments or what it returns change. */
    if (PyModule_AddIntConstant(created, "API", 2) < 0) {
        Py_DECREF(created);
        return NULL;
    }
    if (PyModule_AddObjectRef(created, "SourceText", (PyObject *)&SourceTextType) < 0
        || PyModule_AddObjectRef(created, "PageBuilder", (PyObject *)&PageBuilderType) < 0) {
        Py_DECREF(created);
        return NULL;
    }
    return created;
}

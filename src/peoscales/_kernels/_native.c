/*
 * Compiled kernels of peoscales: scale scores in one pass over the data, the
 * resampling counts of a bootstrap, the count-weighted sums of a few per-row
 * features over the resamples (mediation's cross-products), the float32
 * operands of the pairwise Pearson sums of whole-number data, and CSV lines of
 * answer codes.
 *
 * Why compiled code: numpy runs one pass over the data per operation. Scoring needs
 * about ten (fill missing values, two range reductions, the whole-number check, the
 * sums, the counts, the minimum-valid rule, ...), and the bootstrap draws, offsets
 * and counts its row numbers in three; each of those passes costs more than the
 * arithmetic it does. Here every value is read once, checked and added while it is
 * in a register, and the random row numbers are counted as they are drawn.
 *
 * The module uses only the Python C API and the buffer protocol (no numpy headers),
 * so it builds with any numpy. It is optional: `peoscales._kernels.native` falls back
 * to the numpy kernels, which give the same results to the last bit, when it is
 * missing. The work runs with the GIL released, so callers split the rows (or the
 * replicates) over threads.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(_MSC_VER)
#define restrict __restrict
#endif

/* Rows per tile: three tile arrays of doubles (sums, counts, checks) stay in L1. */
#define TILE 1024

/* Several versions of the hot loops, chosen at load time by the CPU (GCC on x86-64
 * Linux): AVX2 and AVX-512 do four or eight values per instruction, the baseline two. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define PEO_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define PEO_CLONES
#endif

/* 2^52: adding and subtracting it rounds a double in [0, 2^52) to a whole number. */
static const double TWO52 = 4503599627370496.0;

/* ---------------------------------------------------------------------------------
 * Scoring
 *
 * For one scale and one tile of rows, every item of the scale adds its keyed code
 * (x, or low + high - x when reverse-keyed) to the tile's sums and 1 to its counts
 * where answered (not NaN). The same loop checks the declared range and, for items
 * coded in whole numbers, that x - low is one: `check` gathers, per row, a positive
 * value wherever a code breaks the rules (NaN compares false and adds nothing).
 * --------------------------------------------------------------------------------- */
#define DEFINE_ADD_ITEM(NAME, T)                                                          \
    PEO_CLONES static void NAME(const T *restrict x, Py_ssize_t m, double offset,        \
                                double sign, double low, double high, int whole,         \
                                double *restrict sums, double *restrict counts,          \
                                double *restrict check)                                  \
    {                                                                                    \
        if (whole) {                                                                     \
            for (Py_ssize_t t = 0; t < m; t++) {                                         \
                double v = (double)x[t];                                                 \
                int answered = (v == v);                                                 \
                sums[t] += answered ? offset + sign * v : 0.0;                           \
                counts[t] += answered ? 1.0 : 0.0;                                       \
                double w = v - low;                                                      \
                double frac = ((w + TWO52) - TWO52) - w;                                 \
                check[t] += ((v < low) | (v > high) | (frac != 0.0 && answered)) ? 1.0  \
                                                                                  : 0.0; \
            }                                                                            \
        } else {                                                                         \
            for (Py_ssize_t t = 0; t < m; t++) {                                         \
                double v = (double)x[t];                                                 \
                int answered = (v == v);                                                 \
                sums[t] += answered ? offset + sign * v : 0.0;                           \
                counts[t] += answered ? 1.0 : 0.0;                                       \
                check[t] += ((v < low) | (v > high)) ? 1.0 : 0.0;                        \
            }                                                                            \
        }                                                                                \
    }

DEFINE_ADD_ITEM(add_item_f64, double)
DEFINE_ADD_ITEM(add_item_f32, float)

/* The same for an item with non-substantive codes ("weet niet" = 9, say): such a
 * code counts as not answered, and is counted in `found` when `count_codes`. */
#define DEFINE_ADD_ITEM_CODES(NAME, T)                                                    \
    static Py_ssize_t NAME(const T *restrict x, Py_ssize_t m, double offset, double sign, \
                           double low, double high, int whole, const double *codes,      \
                           Py_ssize_t n_codes, double *restrict sums,                    \
                           double *restrict counts, double *restrict check)              \
    {                                                                                    \
        Py_ssize_t found = 0;                                                            \
        for (Py_ssize_t t = 0; t < m; t++) {                                             \
            double v = (double)x[t];                                                     \
            int coded = 0;                                                               \
            for (Py_ssize_t c = 0; c < n_codes; c++)                                     \
                coded |= (v == codes[c]);                                                \
            if (coded) {                                                                 \
                found++;                                                                 \
                continue;                                                                \
            }                                                                            \
            if (v != v)                                                                  \
                continue;                                                                \
            sums[t] += offset + sign * v;                                                \
            counts[t] += 1.0;                                                            \
            double w = v - low;                                                          \
            int broken = (v < low) | (v > high) | (whole && ((w + TWO52) - TWO52) != w); \
            check[t] += broken ? 1.0 : 0.0;                                              \
        }                                                                                \
        return found;                                                                    \
    }

DEFINE_ADD_ITEM_CODES(add_item_codes_f64, double)
DEFINE_ADD_ITEM_CODES(add_item_codes_f32, float)

/* Scores of one tile: sum / count times the multiplier, NaN below the minimum. */
PEO_CLONES static Py_ssize_t finish_tile(const double *restrict sums,
                                         const double *restrict counts, Py_ssize_t m,
                                         double required, double multiplier,
                                         double *restrict scores, int64_t *restrict answered)
{
    Py_ssize_t below = 0;
    for (Py_ssize_t t = 0; t < m; t++) {
        int short_ = counts[t] < required;
        scores[t] = short_ ? NAN : sums[t] / counts[t] * multiplier;
        below += short_;
    }
    if (answered)
        for (Py_ssize_t t = 0; t < m; t++)
            answered[t] = (int64_t)counts[t];
    return below;
}

/* A buffer of `length` values of `format` ("d", "f", "q", "B"), or an exception. */
static int
get_buffer(PyObject *obj, Py_buffer *view, const char *format, Py_ssize_t length,
           int writable, const char *what)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) < 0) {
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s must be a contiguous%s array", what,
                     writable ? ", writable" : "");
        return -1;
    }
    const char *f = view->format ? view->format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    /* 64-bit integers are 'q' or 'l' (signed), 'Q' or 'L' (unsigned), by platform. */
    int same = strcmp(f, format) == 0 ||
               (strcmp(format, "q") == 0 && strcmp(f, "l") == 0 && view->itemsize == 8) ||
               (strcmp(format, "Q") == 0 && strcmp(f, "L") == 0 && view->itemsize == 8);
    if (!same || (length >= 0 && view->len != length * view->itemsize)) {
        PyErr_Format(PyExc_ValueError, "%s: expected %zd values of format '%s', got %zd of '%s'",
                     what, length, format, view->len / (view->itemsize ? view->itemsize : 1),
                     f);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

#define MAX_BUFFERS 12

typedef struct {
    Py_buffer views[MAX_BUFFERS];
    int used;
} Buffers;

static void *
take(Buffers *b, PyObject *obj, const char *format, Py_ssize_t length, int writable,
     const char *what)
{
    if (obj == Py_None)
        return NULL;
    if (get_buffer(obj, &b->views[b->used], format, length, writable, what) < 0)
        return (void *)-1;
    return b->views[b->used++].buf;
}

static void
release(Buffers *b)
{
    for (int i = 0; i < b->used; i++)
        PyBuffer_Release(&b->views[i]);
    b->used = 0;
}

/* The buffers of `columns`, a sequence of p contiguous float64 or float32 arrays of one
 * length: views[0..*got) are acquired (the caller releases them), *n is the length (0
 * for no columns). -1 with an exception naming the first column that does not fit. */
static int
get_float_columns(PyObject *columns, Py_ssize_t p, Py_buffer *views, Py_ssize_t *got,
                  Py_ssize_t *n)
{
    *n = -1;
    *got = 0;
    for (Py_ssize_t j = 0; j < p; j++) {
        PyObject *col = PySequence_Fast_GET_ITEM(columns, j);
        if (PyObject_GetBuffer(col, &views[j], PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
            return -1;
        *got = j + 1; /* acquired: the caller releases it */
        const char *f = views[j].format ? views[j].format : "B";
        if (*f == '<' || *f == '=' || *f == '@')
            f++;
        if (strcmp(f, "d") != 0 && strcmp(f, "f") != 0) {
            PyErr_Format(PyExc_TypeError, "column %zd must hold float64 or float32, not '%s'",
                         j, f);
            return -1;
        }
        Py_ssize_t len = views[j].len / views[j].itemsize;
        if (*n >= 0 && len != *n) {
            PyErr_Format(PyExc_ValueError, "column %zd has %zd values, column 0 has %zd", j, len,
                         *n);
            return -1;
        }
        *n = len;
    }
    if (*n < 0)
        *n = 0;
    return 0;
}

PyDoc_STRVAR(score_rows_doc,
"score_rows(columns, items, codes, scale_ptr, scale_items, rules, first, last,\n"
"           scores, answered, below, code_counts[, tile]) -> bool\n\n"
"Score rows first:last of every scale; False when a code breaks its item's rules\n"
"(then the outputs are incomplete).\n\n"
"columns: sequence of p contiguous float64 or float32 arrays of n values each.\n"
"items (p, 5) float64: offset, sign (keyed code = offset + sign * x), low, high and\n"
"    1.0 where codes must be whole numbers.\n"
"codes (p, m) float64 or None: non-substantive codes per item, padded with NaN.\n"
"scale_ptr (s + 1,) and scale_items (e,) int64: scale k's items are\n"
"    scale_items[scale_ptr[k]:scale_ptr[k + 1]].\n"
"rules (s, 2) float64: least answered items, and the multiplier (1 for a mean).\n"
"scores (s, n) float64, answered (s, n) int64 or None: written for the rows.\n"
"below (s,) and code_counts (p,) int64: added to.\n"
"tile: rows scored together (at most 1024, the default).");

static PyObject *
score_rows(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *columns_obj, *items_obj, *codes_obj, *ptr_obj, *list_obj, *rules_obj;
    PyObject *scores_obj, *answered_obj, *below_obj, *found_obj;
    Py_ssize_t first, last, tile = TILE;
    if (!PyArg_ParseTuple(args, "OOOOOOnnOOOO|n", &columns_obj, &items_obj, &codes_obj,
                          &ptr_obj, &list_obj, &rules_obj, &first, &last, &scores_obj,
                          &answered_obj, &below_obj, &found_obj, &tile))
        return NULL;
    if (tile < 1 || tile > TILE) {
        PyErr_Format(PyExc_ValueError, "tile must be in 1..%d, got %zd", TILE, tile);
        return NULL;
    }

    PyObject *columns = PySequence_Fast(columns_obj, "columns must be a sequence of arrays");
    if (!columns)
        return NULL;
    Py_ssize_t p = PySequence_Fast_GET_SIZE(columns);
    Py_buffer *views = PyMem_Calloc(p ? p : 1, sizeof(Py_buffer));
    const void **data = PyMem_Calloc(p ? p : 1, sizeof(void *));
    char *single = PyMem_Calloc(p ? p : 1, 1);
    char *counted = PyMem_Calloc(p ? p : 1, 1);
    double *tiles = PyMem_Malloc(3 * TILE * sizeof(double));
    Buffers b = {.used = 0};
    Py_ssize_t got = 0, n = -1;
    PyObject *result = NULL;
    if (!views || !data || !single || !counted || !tiles) {
        PyErr_NoMemory();
        goto done;
    }
    if (get_float_columns(columns, p, views, &got, &n) < 0)
        goto done;
    for (Py_ssize_t j = 0; j < p; j++) {
        single[j] = views[j].itemsize == 4;
        data[j] = views[j].buf;
    }
    if (first < 0 || last > n || first > last) {
        PyErr_Format(PyExc_ValueError, "rows %zd:%zd are not within 0:%zd", first, last, n);
        goto done;
    }

    Buffers *bp = &b;
    const int64_t *scale_ptr = take(bp, ptr_obj, "q", -1, 0, "scale_ptr");
    if (scale_ptr == (void *)-1)
        goto done;
    if (scale_ptr == NULL) {
        PyErr_SetString(PyExc_TypeError, "scale_ptr must be an array, not None");
        goto done;
    }
    Py_ssize_t s = b.views[b.used - 1].len / 8 - 1;
    if (s < 0 || scale_ptr[0] != 0) {
        PyErr_SetString(PyExc_ValueError, "scale_ptr must start at 0");
        goto done;
    }
    for (Py_ssize_t k = 0; k < s; k++) {
        if (scale_ptr[k + 1] < scale_ptr[k]) {
            PyErr_Format(PyExc_ValueError, "scale_ptr must not decrease (at %zd)", k);
            goto done;
        }
    }
    const int64_t *scale_items = take(bp, list_obj, "q", scale_ptr[s], 0, "scale_items");
    const double *items = take(bp, items_obj, "d", 5 * p, 0, "items");
    const double *rules = take(bp, rules_obj, "d", 2 * s, 0, "rules");
    double *scores = take(bp, scores_obj, "d", s * n, 1, "scores");
    int64_t *answered = take(bp, answered_obj, "q", s * n, 1, "answered");
    int64_t *below = take(bp, below_obj, "q", s, 1, "below");
    int64_t *found = take(bp, found_obj, "q", p, 1, "code_counts");
    const double *codes = NULL;
    Py_ssize_t m = 0;
    if (codes_obj != Py_None) {
        codes = take(bp, codes_obj, "d", -1, 0, "codes");
        if (codes != (void *)-1)
            m = p ? b.views[b.used - 1].len / 8 / p : 0;
        if (codes != (void *)-1 && m * p * 8 != b.views[b.used - 1].len) {
            PyErr_SetString(PyExc_ValueError, "codes must have one row per column");
            goto done;
        }
    }
    if (scale_items == (void *)-1 || items == (void *)-1 || rules == (void *)-1 ||
        scores == (void *)-1 || answered == (void *)-1 || below == (void *)-1 ||
        found == (void *)-1 || codes == (void *)-1)
        goto done;
    if (!scale_items || !items || !rules || !scores || !below || !found) {
        PyErr_SetString(PyExc_TypeError, "only codes and answered may be None");
        goto done;
    }
    for (Py_ssize_t e = 0; e < scale_ptr[s]; e++) {
        if (scale_items[e] < 0 || scale_items[e] >= p) {
            PyErr_Format(PyExc_ValueError, "scale_items[%zd] = %lld is not a column", e,
                         (long long)scale_items[e]);
            goto done;
        }
    }

    int in_range = 1;
    Py_BEGIN_ALLOW_THREADS
    double *sums = tiles, *counts = tiles + TILE, *check = tiles + 2 * TILE;
    for (Py_ssize_t start = first; start < last && in_range; start += tile) {
        Py_ssize_t rows = last - start < tile ? last - start : tile;
        memset(counted, 0, p);
        for (Py_ssize_t k = 0; k < s && in_range; k++) {
            memset(tiles, 0, 3 * TILE * sizeof(double));
            for (int64_t e = scale_ptr[k]; e < scale_ptr[k + 1]; e++) {
                Py_ssize_t j = (Py_ssize_t)scale_items[e];
                const double *it = items + 5 * j;
                int whole = it[4] != 0.0;
                const double *item_codes = codes ? codes + m * j : NULL;
                Py_ssize_t n_codes = 0;
                for (Py_ssize_t c = 0; c < m; c++)
                    n_codes += item_codes[c] == item_codes[c];  /* NaN pads the row */
                if (n_codes) {
                    Py_ssize_t hits = single[j]
                        ? add_item_codes_f32((const float *)data[j] + start, rows, it[0],
                                             it[1], it[2], it[3], whole, item_codes, m,
                                             sums, counts, check)
                        : add_item_codes_f64((const double *)data[j] + start, rows, it[0],
                                             it[1], it[2], it[3], whole, item_codes, m,
                                             sums, counts, check);
                    if (!counted[j])
                        found[j] += hits;
                } else if (single[j]) {
                    add_item_f32((const float *)data[j] + start, rows, it[0], it[1], it[2],
                                 it[3], whole, sums, counts, check);
                } else {
                    add_item_f64((const double *)data[j] + start, rows, it[0], it[1], it[2],
                                 it[3], whole, sums, counts, check);
                }
                counted[j] = 1;
            }
            double broken = 0.0;
            for (Py_ssize_t t = 0; t < rows; t++)
                broken += check[t];
            if (broken != 0.0) {
                in_range = 0;
                break;
            }
            below[k] += finish_tile(sums, counts, rows, rules[2 * k], rules[2 * k + 1],
                                    scores + k * n + start,
                                    answered ? answered + k * n + start : NULL);
        }
    }
    Py_END_ALLOW_THREADS
    result = PyBool_FromLong(in_range);

done:
    release(&b);
    for (Py_ssize_t i = 0; i < got; i++)
        if (views[i].obj)
            PyBuffer_Release(&views[i]);
    PyMem_Free(views);
    PyMem_Free(data);
    PyMem_Free(single);
    PyMem_Free(counted);
    PyMem_Free(tiles);
    Py_DECREF(columns);
    return result;
}

/* ---------------------------------------------------------------------------------
 * Bootstrap counts
 *
 * SFC64 (Doty-Humphrey's small fast chaotic generator), the same algorithm and state
 * layout as numpy.random.SFC64, so numpy's `random_raw` gives the same stream. A row
 * number is the high 64 bits of r * n (Lemire's multiply-shift, without the rejection
 * step: a row's probability is off by less than n / 2^64 from 1/n).
 * --------------------------------------------------------------------------------- */
static inline uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t
sfc64_next(uint64_t *s)
{
    const uint64_t tmp = s[0] + s[1] + s[3]++;
    s[0] = s[1] ^ (s[1] >> 11);
    s[1] = s[2] + (s[2] << 3);
    s[2] = rotl(s[2], 24) + tmp;
    return tmp;
}

static inline uint64_t
high_product(uint64_t r, uint64_t n)
{
#if defined(__SIZEOF_INT128__)
    return (uint64_t)(((unsigned __int128)r * n) >> 64);
#else
    uint64_t hi = r >> 32, lo = r & 0xffffffffu;
    return (hi * n + ((lo * n) >> 32)) >> 32; /* exact for n < 2^32 */
#endif
}

/* Counts of replicates into `out` (float64 or float32: small whole numbers are exact in
 * both), batch by batch: batch i fills rows i*chunk.. from its own SFC64 state. A row of
 * `out` holds the n counts and then, for g < copies, the count of row gather[g]: the
 * caller's products read the counts of chosen rows (the rows missing each item, for
 * pairwise deletion) as a plain block instead of gathering them. */
#define DEFINE_COUNT(NAME, T)                                                            \
    static void NAME(uint64_t *states, Py_ssize_t n, Py_ssize_t chunk, Py_ssize_t rows,  \
                     const int64_t *gather, Py_ssize_t copies, T *out)                   \
    {                                                                                    \
        const Py_ssize_t width = n + copies;                                             \
        for (Py_ssize_t first = 0; first < rows; first += chunk) {                       \
            uint64_t *s = states + 4 * (first / chunk);                                  \
            Py_ssize_t last = first + chunk < rows ? first + chunk : rows;               \
            for (Py_ssize_t r = first; r < last; r++) {                                  \
                T *row = out + r * width;                                                \
                /* Zeroed row by row, as it is counted (in cache); the copies after */  \
                /* the counts are all written below. */                                 \
                memset(row, 0, (size_t)n * sizeof(T));                                   \
                for (Py_ssize_t i = 0; i < n; i++)                                       \
                    row[high_product(sfc64_next(s), (uint64_t)n)] += 1;                  \
                for (Py_ssize_t g = 0; g < copies; g++)                                  \
                    row[n + g] = row[gather[g]];                                         \
            }                                                                            \
        }                                                                                \
    }

DEFINE_COUNT(count_f64, double)
DEFINE_COUNT(count_f32, float)

/* n rows to draw from (below 2^32: row numbers are the high half of a 64 x 32-bit
 * product) and a positive batch size; -1 with an exception otherwise. */
static int
check_draws(Py_ssize_t n, Py_ssize_t chunk)
{
    if (n <= 0 || (uint64_t)n >= ((uint64_t)1 << 32)) {
        PyErr_Format(PyExc_ValueError, "n must be in 1..2^32-1, got %zd", n);
        return -1;
    }
    if (chunk <= 0) {
        PyErr_Format(PyExc_ValueError, "chunk must be positive, got %zd", chunk);
        return -1;
    }
    return 0;
}

/* One SFC64 state (4 words, 32 bytes) per batch of chunk replicates; -1 with an
 * exception otherwise. */
static int
check_states(Py_ssize_t rows, Py_ssize_t chunk, Py_ssize_t state_bytes)
{
    Py_ssize_t batches = (rows + chunk - 1) / chunk;
    if (state_bytes != batches * 32) {
        PyErr_Format(PyExc_ValueError,
                     "%zd replicates in batches of %zd need %zd states (4 words each)", rows,
                     chunk, batches);
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(bootstrap_counts_doc,
"bootstrap_counts(states, n, chunk, out[, gather])\n\n"
"Resampling counts of out.shape[0] replicates of n rows: n row numbers drawn uniformly\n"
"from 0..n-1 per replicate and counted into its row of out (float64 or float32,\n"
"overwritten). Replicates go in batches of chunk; batch i draws from the SFC64 state\n"
"in row i of states ((batches, 4) uint64), which is advanced in place. With gather\n"
"(G,) int64, a row of out holds n + G values: the counts, then the counts of rows\n"
"gather[0], ..., gather[G - 1].");

static PyObject *
bootstrap_counts(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *states_obj, *out_obj, *gather_obj = Py_None;
    Py_ssize_t n, chunk;
    if (!PyArg_ParseTuple(args, "OnnO|O", &states_obj, &n, &chunk, &out_obj, &gather_obj))
        return NULL;
    if (check_draws(n, chunk) < 0)
        return NULL;
    Buffers b = {.used = 0};
    uint64_t *states = take(&b, states_obj, "Q", -1, 1, "states");
    if (states == (void *)-1 || states == NULL) {
        if (states == NULL)
            PyErr_SetString(PyExc_TypeError, "states must be an array, not None");
        release(&b);
        return NULL;
    }
    const int64_t *gather = take(&b, gather_obj, "q", -1, 0, "gather");
    if (gather == (void *)-1) {
        release(&b);
        return NULL;
    }
    Py_ssize_t copies = gather == NULL ? 0 : b.views[1].len / 8;
    for (Py_ssize_t g = 0; g < copies; g++) {
        if (gather[g] < 0 || gather[g] >= n) {
            release(&b);
            PyErr_Format(PyExc_ValueError, "gather[%zd] = %lld is not a row in 0..%zd", g,
                         (long long)gather[g], n - 1);
            return NULL;
        }
    }
    Py_buffer *view = &b.views[b.used];
    if (PyObject_GetBuffer(out_obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | PyBUF_WRITABLE) < 0) {
        release(&b);
        return NULL;
    }
    b.used++;
    const char *f = view->format ? view->format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    int single = strcmp(f, "f") == 0;
    if (!single && strcmp(f, "d") != 0) {
        release(&b);
        PyErr_Format(PyExc_TypeError, "out must hold float64 or float32, not '%s'", f);
        return NULL;
    }
    Py_ssize_t total = view->len / view->itemsize;
    if (total % (n + copies)) {
        release(&b);
        PyErr_Format(PyExc_ValueError, "out holds %zd values, not a multiple of n = %zd",
                     total, n + copies);
        return NULL;
    }
    Py_ssize_t rows = total / (n + copies);
    if (check_states(rows, chunk, b.views[0].len) < 0) {
        release(&b);
        return NULL;
    }
    void *out = view->buf;
    Py_BEGIN_ALLOW_THREADS
    if (single)
        count_f32(states, n, chunk, rows, gather, copies, (float *)out);
    else
        count_f64(states, n, chunk, rows, gather, copies, (double *)out);
    Py_END_ALLOW_THREADS
    release(&b);
    Py_RETURN_NONE;
}

/* ---------------------------------------------------------------------------------
 * Bootstrap sums: the resampling counts of each replicate, drawn as bootstrap_counts
 * draws them, and at once their weighted sum of per-row features,
 * out[r] = sum_i count_i * features[i]. For a few features (mediation: 15 for one
 * mediator) a BLAS product of the counts with the features runs far below the
 * machine's rate, and the counts matrix must be written and read again; here a
 * replicate's counts stay in L1 and the sums in registers.
 * --------------------------------------------------------------------------------- */

/* Weighted row sums with a compile-time width of V vectors of four doubles (features
 * padded with zeros): the V accumulators stay in registers. Two rows are added to each
 * other before they join the accumulator, which halves the chain of dependent
 * additions. Written with GCC's vector types where they exist (GCC vectorised the
 * plain loops across rows, with shuffles, at a third of this speed); elsewhere a plain
 * loop. */
#if defined(__GNUC__)
typedef double v4d __attribute__((vector_size(32), aligned(8)));

#define DEFINE_ROW_SUMS(NAME, V)                                                         \
    PEO_CLONES static void NAME(const uint32_t *restrict cnt, const double *restrict f,  \
                                Py_ssize_t n, double *restrict acc)                      \
    {                                                                                    \
        v4d sum[V], x, y;                                                                \
        for (int v = 0; v < V; v++)                                                      \
            sum[v] = (v4d){0.0, 0.0, 0.0, 0.0};                                          \
        Py_ssize_t i = 0;                                                                \
        for (; i + 1 < n; i += 2) {                                                      \
            const double a = (double)cnt[i], b = (double)cnt[i + 1];                     \
            for (int v = 0; v < V; v++) {                                                \
                memcpy(&x, f + i * 4 * V + 4 * v, sizeof x);                             \
                memcpy(&y, f + (i + 1) * 4 * V + 4 * v, sizeof y);                       \
                sum[v] += a * x + b * y;                                                 \
            }                                                                            \
        }                                                                                \
        if (i < n) {                                                                     \
            const double a = (double)cnt[i];                                             \
            for (int v = 0; v < V; v++) {                                                \
                memcpy(&x, f + i * 4 * V + 4 * v, sizeof x);                             \
                sum[v] += a * x;                                                         \
            }                                                                            \
        }                                                                                \
        memcpy(acc, sum, sizeof sum);                                                    \
    }
#else
#define DEFINE_ROW_SUMS(NAME, V)                                                         \
    static void NAME(const uint32_t *restrict cnt, const double *restrict f,             \
                     Py_ssize_t n, double *restrict acc)                                 \
    {                                                                                    \
        for (int j = 0; j < 4 * V; j++)                                                  \
            acc[j] = 0.0;                                                                \
        for (Py_ssize_t i = 0; i < n; i++)                                               \
            for (int j = 0; j < 4 * V; j++)                                              \
                acc[j] += (double)cnt[i] * f[i * 4 * V + j];                             \
    }
#endif

DEFINE_ROW_SUMS(row_sums_8, 2)
DEFINE_ROW_SUMS(row_sums_16, 4)
DEFINE_ROW_SUMS(row_sums_32, 8)

/* Any width: the sums in memory (one row of `out`). */
PEO_CLONES static void
row_sums_any(const uint32_t *restrict cnt, const double *restrict f, Py_ssize_t n,
             Py_ssize_t w, double *restrict acc)
{
    for (Py_ssize_t j = 0; j < w; j++)
        acc[j] = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const double a = (double)cnt[i];
        for (Py_ssize_t j = 0; j < w; j++)
            acc[j] += a * f[i * w + j];
    }
}

static void
draw_and_sum(uint64_t *states, Py_ssize_t n, Py_ssize_t chunk, Py_ssize_t rows,
             const double *padded, Py_ssize_t width, Py_ssize_t t, uint32_t *cnt,
             double *acc, double *out)
{
    for (Py_ssize_t first = 0; first < rows; first += chunk) {
        uint64_t *s = states + 4 * (first / chunk);
        Py_ssize_t last = first + chunk < rows ? first + chunk : rows;
        for (Py_ssize_t r = first; r < last; r++) {
            memset(cnt, 0, (size_t)n * sizeof(uint32_t));
            for (Py_ssize_t i = 0; i < n; i++)
                cnt[high_product(sfc64_next(s), (uint64_t)n)] += 1;
            switch (width) {
            case 8: row_sums_8(cnt, padded, n, acc); break;
            case 16: row_sums_16(cnt, padded, n, acc); break;
            case 32: row_sums_32(cnt, padded, n, acc); break;
            default: row_sums_any(cnt, padded, n, width, acc);
            }
            memcpy(out + r * t, acc, (size_t)t * sizeof(double));
        }
    }
}

PyDoc_STRVAR(bootstrap_sums_doc,
"bootstrap_sums(states, n, chunk, features, out)\n\n"
"Weighted sums of per-row features over resamples: out[r] = sum_i count_i features[i],\n"
"where count_i is how often row i is drawn in replicate r, drawn exactly as\n"
"bootstrap_counts draws them. features (n, t) and out (replicates, t) are contiguous\n"
"float64; batch i of chunk replicates draws from the SFC64 state in row i of states\n"
"((batches, 4) uint64), which is advanced in place.");

static PyObject *
bootstrap_sums(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *states_obj, *features_obj, *out_obj;
    Py_ssize_t n, chunk;
    if (!PyArg_ParseTuple(args, "OnnOO", &states_obj, &n, &chunk, &features_obj, &out_obj))
        return NULL;
    if (check_draws(n, chunk) < 0)
        return NULL;
    Buffers b = {.used = 0};
    uint64_t *states = take(&b, states_obj, "Q", -1, 1, "states");
    const double *features = NULL;
    double *out = NULL;
    if (states != (void *)-1 && states != NULL)
        features = take(&b, features_obj, "d", -1, 0, "features");
    if (features != (void *)-1 && features != NULL)
        out = take(&b, out_obj, "d", -1, 1, "out");
    if (states == NULL || features == NULL || out == NULL) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "states, features and out must be arrays, not None");
        release(&b);
        return NULL;
    }
    if (states == (void *)-1 || features == (void *)-1 || out == (void *)-1) {
        release(&b);
        return NULL;
    }
    Py_ssize_t values = b.views[1].len / 8;
    if (values % n) {
        release(&b);
        PyErr_Format(PyExc_ValueError, "features hold %zd values, not a multiple of n = %zd",
                     values, n);
        return NULL;
    }
    Py_ssize_t t = values / n;
    Py_ssize_t total = b.views[2].len / 8;
    if (t == 0 || total % t) {
        release(&b);
        PyErr_Format(PyExc_ValueError, "out holds %zd values, not a multiple of t = %zd",
                     total, t);
        return NULL;
    }
    Py_ssize_t rows = total / t;
    if (check_states(rows, chunk, b.views[0].len) < 0) {
        release(&b);
        return NULL;
    }
    Py_ssize_t width = t <= 8 ? 8 : t <= 16 ? 16 : t <= 32 ? 32 : t;
    double *padded = PyMem_Malloc((size_t)n * (size_t)width * sizeof(double));
    uint32_t *cnt = PyMem_Malloc((size_t)n * sizeof(uint32_t));
    double *acc = PyMem_Malloc((size_t)width * sizeof(double));
    if (padded == NULL || cnt == NULL || acc == NULL) {
        PyMem_Free(padded);
        PyMem_Free(cnt);
        PyMem_Free(acc);
        release(&b);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        memcpy(padded + i * width, features + i * t, (size_t)t * sizeof(double));
        for (Py_ssize_t j = t; j < width; j++)
            padded[i * width + j] = 0.0;
    }
    Py_BEGIN_ALLOW_THREADS
    draw_and_sum(states, n, chunk, rows, padded, width, t, cnt, acc, out);
    Py_END_ALLOW_THREADS
    PyMem_Free(padded);
    PyMem_Free(cnt);
    PyMem_Free(acc);
    release(&b);
    Py_RETURN_NONE;
}

/* ---------------------------------------------------------------------------------
 * Pairwise Pearson: the float32 operands of one block of rows
 *
 * For whole-number data (answer codes) centred on whole numbers, the pairwise sums
 * (counts, sums, sums of squares, cross-products) are sums of small whole numbers,
 * which single precision adds exactly while every partial sum stays below 2^24: so
 * the caller can take them from float32 matrix products, at twice the rate of
 * float64 and with half the memory traffic, and get the exact sums. This loop
 * writes the operands in one pass over the block (the mask M, the centred values
 * X0, zero where missing, and their squares) and checks, on the way, that the block
 * qualifies: every answered value whole and within `limit` of its column's shift.
 * --------------------------------------------------------------------------------- */
/* Each column's operands; `flags` (k floats of scratch) marks the values that break
 * the rules, and a second loop gathers them (GCC vectorises neither loop when the
 * first reduces a flag of two comparisons itself). Float32 input is checked and
 * centred in float32, eight values per AVX2 instruction: a whole float below 2^23
 * and a whole shift below 2^23 differ by a whole number that float32 holds exactly. */
#define DEFINE_PEARSON_COLUMN(NAME, T, ABS, BIG)                                         \
    PEO_CLONES static int NAME(const T *restrict x, Py_ssize_t k, T shift, T limit,      \
                               float *restrict mask, float *restrict centred,            \
                               float *restrict squared, float *restrict flags)           \
    {                                                                                    \
        for (Py_ssize_t t = 0; t < k; t++) {                                             \
            T v = x[t];                                                                  \
            int answered = (v == v); /* NaN is no answer */                              \
            T d = answered ? v - shift : (T)0;                                           \
            /* Whole numbers: |v| rounds to itself (from BIG on the check fails, and   \
             * the block takes the float64 route). */                                    \
            T a = answered ? ABS(v) : (T)0;                                              \
            T frac = ((a + BIG) - BIG) - a;                                              \
            flags[t] = (frac != (T)0 || ABS(d) > limit) ? 1.0f : 0.0f;                   \
            mask[t] = answered ? 1.0f : 0.0f;                                            \
            centred[t] = (float)d;                                                       \
            squared[t] = (float)(d * d);                                                 \
        }                                                                                \
        int bad = 0;                                                                     \
        for (Py_ssize_t t = 0; t < k; t++)                                               \
            bad |= (flags[t] != 0.0f);                                                   \
        return bad;                                                                      \
    }

DEFINE_PEARSON_COLUMN(pearson_column_f64, double, fabs, TWO52)
DEFINE_PEARSON_COLUMN(pearson_column_f32, float, fabsf, 8388608.0f)

PyDoc_STRVAR(pearson_block_doc,
"pearson_block(columns, shift, limit, first, last, out, ld) -> bool\n\n"
"Write the float32 operands of rows first:last for the pairwise Pearson sums; False\n"
"when an answered value is not a whole number or lies beyond `limit` from its\n"
"column's shift (then `out` is incomplete and the caller uses float64).\n\n"
"columns: sequence of p contiguous float64 or float32 arrays of n values each.\n"
"shift (p,) float64: whole numbers subtracted from each column.\n"
"out (3 p ld,) float32, a column-major (ld, 3 p) array: columns 0..p-1 get the\n"
"    answered mask, p..2p-1 the centred values (0 where missing), 2p..3p-1 their\n"
"    squares, each in its first last - first rows.");

static PyObject *
pearson_block(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *columns_obj, *shift_obj, *out_obj;
    double limit;
    Py_ssize_t first, last, ld;
    if (!PyArg_ParseTuple(args, "OOdnnOn", &columns_obj, &shift_obj, &limit, &first, &last,
                          &out_obj, &ld))
        return NULL;
    PyObject *columns = PySequence_Fast(columns_obj, "columns must be a sequence of arrays");
    if (!columns)
        return NULL;
    Py_ssize_t p = PySequence_Fast_GET_SIZE(columns);
    Py_buffer *views = PyMem_Calloc(p ? p : 1, sizeof(Py_buffer));
    Buffers b = {.used = 0};
    Py_ssize_t got = 0, n = -1;
    PyObject *result = NULL;
    if (!views) {
        PyErr_NoMemory();
        goto done;
    }
    if (get_float_columns(columns, p, views, &got, &n) < 0)
        goto done;
    if (first < 0 || last > n || first > last || ld < last - first) {
        PyErr_Format(PyExc_ValueError, "rows %zd:%zd do not fit 0:%zd (ld %zd)", first, last, n,
                     ld);
        goto done;
    }
    const double *shift = take(&b, shift_obj, "d", p, 0, "shift");
    float *out = take(&b, out_obj, "f", 3 * p * ld, 1, "out");
    if (shift == (void *)-1 || out == (void *)-1)
        goto done;
    if (!shift || !out) {
        PyErr_SetString(PyExc_TypeError, "shift and out must be arrays");
        goto done;
    }
    int bad = 0;
    Py_ssize_t k = last - first;
    float *flags = PyMem_Malloc((size_t)(k ? k : 1) * sizeof(float));
    if (!flags) {
        PyErr_NoMemory();
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t j = 0; j < p && !bad; j++) {
        float *mask = out + j * ld, *centred = out + (p + j) * ld;
        float *squared = out + (2 * p + j) * ld;
        if (views[j].itemsize == 4 && fabs(shift[j]) < 8388608.0 && limit < 8388608.0)
            bad = pearson_column_f32((const float *)views[j].buf + first, k, (float)shift[j],
                                     (float)limit, mask, centred, squared, flags);
        else if (views[j].itemsize == 4)
            bad = 1; /* a shift float32 cannot hold exactly: float64 route */
        else
            bad = pearson_column_f64((const double *)views[j].buf + first, k, shift[j], limit,
                                     mask, centred, squared, flags);
    }
    Py_END_ALLOW_THREADS
    PyMem_Free(flags);
    result = PyBool_FromLong(!bad);
done:
    for (Py_ssize_t i = 0; i < got; i++)
        PyBuffer_Release(&views[i]);
    PyMem_Free(views);
    release(&b);
    Py_DECREF(columns);
    return result;
}

/* ---------------------------------------------------------------------------------
 * CSV answer codes
 *
 * Why our own parser: pyarrow's CSV reader (one thread per block, as dask runs the
 * blocks side by side) parses a 16 MB block of Likert codes at about 140 MB/s, most
 * of it in converting each field (about 11 ns a value, checking it against a list of
 * null spellings); answer codes need none of that. This loop reads the common form
 * only: every field empty (missing) or an optional minus and up to nine digits,
 * `sep` between fields, lines ending in \n or \r\n, fields of columns not read
 * skipped unless they hold a quote. Anything else makes it return -1, and the caller
 * parses the block with pyarrow (which gives the same values, and names what is
 * wrong in a bad file).
 * --------------------------------------------------------------------------------- */
static Py_ssize_t
parse_lines(const unsigned char *s, Py_ssize_t len, unsigned char sep, Py_ssize_t n_fields,
            const int64_t *take, void *out, int single, Py_ssize_t ld, int64_t *index)
{
    Py_ssize_t line = 0, pos = 0;
    while (pos < len) {
        if (line >= ld)
            return -1;
        for (Py_ssize_t f = 0; f < n_fields; f++) {
            int64_t dest = take[f];
            int neg = 0, digits = 0;
            int64_t v = 0;
            if (dest == -1) { /* a column not read: skip its text */
                while (pos < len && s[pos] != sep && s[pos] != '\n' && s[pos] != '\r') {
                    if (s[pos] == '"')
                        return -1;
                    pos++;
                }
            } else {
                if (pos < len && s[pos] == '-') {
                    neg = 1;
                    pos++;
                }
                while (pos < len && (unsigned)(s[pos] - '0') < 10u && digits < 19) {
                    v = v * 10 + (s[pos] - '0');
                    pos++;
                    digits++;
                }
            }
            unsigned char c = pos < len ? s[pos] : '\n';
            if (f + 1 < n_fields) {
                if (c != sep)
                    return -1;
            } else {
                if (c == '\r') {
                    pos++;
                    c = pos < len ? s[pos] : '\n';
                }
                if (c != '\n')
                    return -1;
                /* A blank line (pyarrow and pandas skip it) is left to them. */
                if (n_fields == 1 && digits == 0 && !neg && dest != -1)
                    return -1;
            }
            pos++;
            if (neg && digits == 0)
                return -1;
            if (dest >= 0) {
                if (digits > 9)
                    return -1;
                int64_t w = neg ? -v : v;
                if (single)
                    ((float *)out)[dest * ld + line] = digits ? (float)w : NAN;
                else
                    ((double *)out)[dest * ld + line] = digits ? (double)w : NAN;
            } else if (dest == -2) {
                if (digits == 0 || digits > 18)
                    return -1;
                index[line] = neg ? -v : v;
            }
        }
        line++;
    }
    return line;
}

PyDoc_STRVAR(parse_codes_doc,
"parse_codes(text, sep, n_fields, take, out, ld, index) -> int\n\n"
"Parse CSV lines of answer codes; the number of lines, or -1 when the text is not in\n"
"the simple form (then `out` is incomplete and the caller parses it otherwise).\n\n"
"text: bytes of whole lines. sep: the separator, one byte (not a digit, '-' or a\n"
"    line end). n_fields: fields per line.\n"
"take (n_fields,) int64: the row of `out` a field goes to, -1 to skip it, -2 for\n"
"    the index.\n"
"out (r * ld,) float32 or float64: row-major (r, ld), one row per column read.\n"
"index (ld,) int64 or None: the index column's whole numbers.");

static PyObject *
parse_codes(PyObject *self, PyObject *args)
{
    (void)self;
    Py_buffer text;
    int sep;
    Py_ssize_t n_fields, ld;
    PyObject *take_obj, *out_obj, *index_obj;
    if (!PyArg_ParseTuple(args, "y*CnOOnO", &text, &sep, &n_fields, &take_obj, &out_obj, &ld,
                          &index_obj))
        return NULL;
    Buffers b = {.used = 0};
    PyObject *result = NULL;
    if (sep < 0 || sep > 127 || sep == '\n' || sep == '\r' || sep == '-' ||
        (sep >= '0' && sep <= '9') || n_fields < 1 || ld < 0) {
        PyErr_Format(PyExc_ValueError, "sep %d, n_fields %zd or ld %zd cannot be used", sep,
                     n_fields, ld);
        goto done;
    }
    const int64_t *fields = take(&b, take_obj, "q", n_fields, 0, "take");
    if (fields == (void *)-1)
        goto done;
    if (!fields) {
        PyErr_SetString(PyExc_TypeError, "take must be an array");
        goto done;
    }
    Py_ssize_t rows = 0;
    for (Py_ssize_t f = 0; f < n_fields; f++) {
        if (fields[f] < -2) {
            PyErr_Format(PyExc_ValueError, "take[%zd] = %lld is not a row, -1 or -2", f,
                         (long long)fields[f]);
            goto done;
        }
        if (fields[f] + 1 > rows)
            rows = (Py_ssize_t)fields[f] + 1;
    }
    if (PyObject_GetBuffer(out_obj, &b.views[b.used], PyBUF_C_CONTIGUOUS | PyBUF_FORMAT |
                                                          PyBUF_WRITABLE) < 0)
        goto done;
    Py_buffer *out = &b.views[b.used++];
    const char *f = out->format ? out->format : "B";
    if (*f == '<' || *f == '=' || *f == '@')
        f++;
    int single = strcmp(f, "f") == 0;
    if ((!single && strcmp(f, "d") != 0) || out->len < rows * ld * out->itemsize) {
        PyErr_Format(PyExc_ValueError, "out must hold %zd float32 or float64 values", rows * ld);
        goto done;
    }
    int64_t *index = take(&b, index_obj, "q", ld, 1, "index");
    if (index == (void *)-1)
        goto done;
    for (Py_ssize_t g = 0; g < n_fields; g++) {
        if (fields[g] == -2 && !index) {
            PyErr_SetString(PyExc_TypeError, "take names an index column: index must be an array");
            goto done;
        }
    }
    Py_ssize_t lines;
    Py_BEGIN_ALLOW_THREADS
    lines = parse_lines((const unsigned char *)text.buf, text.len, (unsigned char)sep, n_fields,
                        fields, out->buf, single, ld, index);
    Py_END_ALLOW_THREADS
    result = PyLong_FromSsize_t(lines);
done:
    release(&b);
    PyBuffer_Release(&text);
    return result;
}

/* ---------------------------------------------------------------------------------
 * Alpha of bootstrap replicates from their pairwise sums
 *
 * The covariance of every pair i <= j from the sums over all rows and over the rows
 * missing each item, as reliability._triangle_into forms them, and each replicate's
 * alpha from their trace and total. numpy forms the (pairs x replicates) arrays one
 * operation at a time (gathers, then a dozen passes); here each pair's covariances
 * are formed in registers and added at once, in the same order, so the alphas are
 * the same to the bit.
 * --------------------------------------------------------------------------------- */
PEO_CLONES static void
pair_covariances(const double *restrict q, const double *restrict x_i,
                 const double *restrict x_j, const double *restrict weight,
                 const double *restrict lost_i, const double *restrict lost_j,
                 const double *restrict both_lost, const double *restrict c_ji,
                 const double *restrict c_ij, Py_ssize_t b, int diagonal,
                 double *restrict trace, double *restrict sum)
{
    for (Py_ssize_t r = 0; r < b; r++) {
        double nn = weight[r] - lost_i[r];
        nn -= lost_j[r];
        nn += both_lost[r];
        double s_ij = x_i[r] - c_ji[r];
        double s_ji = x_j[r] - c_ij[r];
        double cov = s_ij * s_ji;
        cov /= nn;
        cov = q[r] - cov;
        cov /= nn - 1.0;
        cov = nn < 2.0 ? NAN : cov;
        sum[r] += cov;
        trace[r] += diagonal ? cov : 0.0;
    }
}

PyDoc_STRVAR(alpha_from_sums_doc,
"alpha_from_sums(sums, segments, out) -> None\n\n"
"Alpha of B replicates from their pairwise sums (reliability._pairwise_sums).\n\n"
"sums (t + k + 1, B) float64, t = k (k + 1) / 2: the sums of x_i x_j (i <= j, row\n"
"    by row), of x_i and of the weights. segments (k, 2k, B) float64: over the rows\n"
"    missing item j, the sums of x_i and of the missing indicators.\n"
"out (B,) float64: the alphas.");

static PyObject *
alpha_from_sums(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *sums_obj, *segments_obj, *out_obj;
    if (!PyArg_ParseTuple(args, "OOO", &sums_obj, &segments_obj, &out_obj))
        return NULL;
    Buffers b = {.used = 0};
    double *out = take(&b, out_obj, "d", -1, 1, "out");
    if (out == (void *)-1 || out == NULL) {
        if (out == NULL)
            PyErr_SetString(PyExc_TypeError, "out must be an array");
        release(&b);
        return NULL;
    }
    Py_ssize_t reps = b.views[0].len / 8;
    const double *segments = take(&b, segments_obj, "d", -1, 0, "segments");
    if (segments == (void *)-1 || segments == NULL || reps == 0) {
        if (segments == NULL || reps == 0)
            PyErr_SetString(PyExc_ValueError, "segments and a non-empty out are needed");
        release(&b);
        return NULL;
    }
    Py_ssize_t kk2 = b.views[1].len / 8 / reps; /* 2 k^2 */
    Py_ssize_t k = 1;
    while (2 * k * k < kk2)
        k++;
    if (k < 2 || 2 * k * k != kk2 || kk2 * reps * 8 != b.views[1].len) {
        PyErr_Format(PyExc_ValueError, "segments must be (k, 2k, %zd) with k >= 2", reps);
        release(&b);
        return NULL;
    }
    Py_ssize_t t = k * (k + 1) / 2;
    const double *sums = take(&b, sums_obj, "d", (t + k + 1) * reps, 0, "sums");
    double *acc = PyMem_Calloc((size_t)(2 * reps), sizeof(double));
    if (sums == (void *)-1 || sums == NULL || acc == NULL) {
        if (acc == NULL && sums != (void *)-1)
            PyErr_NoMemory();
        else if (sums == NULL)
            PyErr_SetString(PyExc_TypeError, "sums must be an array");
        PyMem_Free(acc);
        release(&b);
        return NULL;
    }
    Py_BEGIN_ALLOW_THREADS
    double *trace = acc, *sum = acc + reps;
    const double *x = sums + t * reps, *weight = sums + (t + k) * reps;
    Py_ssize_t pair = 0;
    for (Py_ssize_t i = 0; i < k; i++) {
        for (Py_ssize_t j = i; j < k; j++, pair++) {
            /* segments[j, i] = C_ji, segments[j, k + i] = V_ji (rows missing j). */
            pair_covariances(sums + pair * reps, x + i * reps, x + j * reps, weight,
                             segments + (i * 2 * k + k + i) * reps,
                             segments + (j * 2 * k + k + j) * reps,
                             segments + (j * 2 * k + k + i) * reps,
                             segments + (j * 2 * k + i) * reps,
                             segments + (i * 2 * k + j) * reps, reps, i == j, trace, sum);
        }
    }
    for (Py_ssize_t r = 0; r < reps; r++) {
        double total = 2.0 * sum[r] - trace[r];
        out[r] = (double)k / ((double)k - 1.0) * (1.0 - trace[r] / total);
    }
    Py_END_ALLOW_THREADS
    PyMem_Free(acc);
    release(&b);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"score_rows", score_rows, METH_VARARGS, score_rows_doc},
    {"bootstrap_counts", bootstrap_counts, METH_VARARGS, bootstrap_counts_doc},
    {"bootstrap_sums", bootstrap_sums, METH_VARARGS, bootstrap_sums_doc},
    {"pearson_block", pearson_block, METH_VARARGS, pearson_block_doc},
    {"parse_codes", parse_codes, METH_VARARGS, parse_codes_doc},
    {"alpha_from_sums", alpha_from_sums, METH_VARARGS, alpha_from_sums_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_native",
    "Compiled kernels: scale scores in one pass, bootstrap resampling counts and sums, the operands of pairwise Pearson sums, CSV answer codes.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__native(void)
{
    return PyModule_Create(&module);
}

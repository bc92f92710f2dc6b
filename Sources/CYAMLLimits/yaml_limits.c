// Measures a YAML document at libyaml's event level, before anything expands it.
//
// A composed tree shares aliased nodes, but every consumer (LocatedValue, Yams' decoder,
// `Yams.load`, even the composer's duplicate-key hashing) walks them once per use, so nine
// aliases nine deep cost 9^9 nodes from a few hundred bytes ("billion laughs"). Here each
// anchor remembers its expanded size and depth when its node ends, and an alias adds those
// numbers instead of walking anything: time and memory stay linear in the text.
#include "yaml_limits.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct {
    char *name;
    size_t nodes;
    size_t depth;
} anchor_entry;

typedef struct {
    anchor_entry *slots;
    size_t capacity;
    size_t count;
} anchor_table;

typedef struct {
    char *anchor;          // owned copy, or NULL
    size_t nodes_before;   // the running total before this collection's own node
    size_t level;          // 1 for the root
    size_t deepest;        // deepest absolute level reached inside
} open_collection;

static size_t hash_name(const char *name) {
    size_t hash = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) { hash = (hash ^ *p) * 1099511628211ULL; }
    return hash;
}

static anchor_entry *table_find(anchor_table *table, const char *name) {
    if (table->capacity == 0) return NULL;
    size_t mask = table->capacity - 1;
    for (size_t i = hash_name(name) & mask;; i = (i + 1) & mask) {
        if (table->slots[i].name == NULL) return NULL;
        if (strcmp(table->slots[i].name, name) == 0) return &table->slots[i];
    }
}

static int table_grow(anchor_table *table) {
    size_t capacity = table->capacity ? table->capacity * 2 : 64;
    anchor_entry *slots = calloc(capacity, sizeof(anchor_entry));
    if (!slots) return 0;
    for (size_t i = 0; i < table->capacity; i++) {
        if (!table->slots[i].name) continue;
        size_t j = hash_name(table->slots[i].name) & (capacity - 1);
        while (slots[j].name) j = (j + 1) & (capacity - 1);
        slots[j] = table->slots[i];
    }
    free(table->slots);
    table->slots = slots;
    table->capacity = capacity;
    return 1;
}

/// Records (or, for a shadowing anchor, replaces) what `name` stands for. Takes `name`.
static int table_set(anchor_table *table, char *name, size_t nodes, size_t depth) {
    anchor_entry *existing = table_find(table, name);
    if (existing) {
        free(name);
        existing->nodes = nodes;
        existing->depth = depth;
        return 1;
    }
    if ((table->count + 1) * 2 > table->capacity && !table_grow(table)) { free(name); return 0; }
    size_t mask = table->capacity - 1;
    size_t i = hash_name(name) & mask;
    while (table->slots[i].name) i = (i + 1) & mask;
    table->slots[i] = (anchor_entry){name, nodes, depth};
    table->count++;
    return 1;
}

static void table_free(anchor_table *table) {
    for (size_t i = 0; i < table->capacity; i++) free(table->slots[i].name);
    free(table->slots);
}

static char *copy_name(const yaml_char_t *anchor) {
    if (!anchor) return NULL;
    size_t length = strlen((const char *)anchor);
    char *copy = malloc(length + 1);
    if (copy) memcpy(copy, anchor, length + 1);
    return copy;
}

/// The 1-based line and column of byte `offset`, counting characters as libyaml does.
static void position_of(const unsigned char *input, size_t offset, size_t *line, size_t *column) {
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset; i++) {
        if (input[i] == '\n') { (*line)++; *column = 1; }
        else if ((input[i] & 0xC0) != 0x80) { (*column)++; }
    }
}

static int over(size_t value, size_t limit) { return limit != 0 && value > limit; }

platform_yaml_measurement platform_yaml_measure(const unsigned char *input, size_t length, platform_yaml_limits limits) {
    platform_yaml_measurement result = {PLATFORM_YAML_WITHIN_LIMITS, 1, 1, 0, 0, 0};
    if (over(length, limits.max_bytes)) {
        result.verdict = PLATFORM_YAML_TOO_LARGE;
        position_of(input, limits.max_bytes, &result.line, &result.column);
        return result;
    }

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) { result.verdict = PLATFORM_YAML_OUT_OF_MEMORY; return result; }
    static const unsigned char empty[1] = {0};
    yaml_parser_set_input_string(&parser, input ? input : empty, input ? length : 0);

    anchor_table anchors = {NULL, 0, 0};
    open_collection *stack = NULL;
    size_t depth = 0, capacity = 0;
    int done = 0;

    while (!done) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            result.verdict = parser.error == YAML_MEMORY_ERROR ? PLATFORM_YAML_OUT_OF_MEMORY : PLATFORM_YAML_SYNTAX_ERROR;
            result.line = parser.problem_mark.line + 1;
            result.column = parser.problem_mark.column + 1;
            break;
        }
        size_t line = event.start_mark.line + 1, column = event.start_mark.column + 1;
        // The level a node starting here sits at, and what it adds.
        size_t level = depth + 1, added_nodes = 0, reached = 0;
        switch (event.type) {
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        case YAML_SCALAR_EVENT:
            added_nodes = 1;
            reached = level;
            if (event.data.scalar.anchor) {
                char *name = copy_name(event.data.scalar.anchor);
                if (!name || !table_set(&anchors, name, 1, 1)) result.verdict = PLATFORM_YAML_OUT_OF_MEMORY;
            }
            break;
        case YAML_ALIAS_EVENT: {
            result.aliases++;
            anchor_entry *target = table_find(&anchors, (const char *)event.data.alias.anchor);
            // An unknown (or still open, recursive) anchor is the parser's error to report; count one node.
            added_nodes = target ? target->nodes : 1;
            reached = level - 1 + (target ? target->depth : 1);
            if (over(result.aliases, limits.max_aliases)) result.verdict = PLATFORM_YAML_TOO_MANY_ALIASES;
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            if (depth == capacity) {
                size_t grown = capacity ? capacity * 2 : 16;
                open_collection *bigger = realloc(stack, grown * sizeof(open_collection));
                if (!bigger) { result.verdict = PLATFORM_YAML_OUT_OF_MEMORY; break; }
                stack = bigger;
                capacity = grown;
            }
            const yaml_char_t *anchor = event.type == YAML_SEQUENCE_START_EVENT ? event.data.sequence_start.anchor
                                                                              : event.data.mapping_start.anchor;
            stack[depth] = (open_collection){copy_name(anchor), result.nodes, level, level};
            depth++;
            added_nodes = 1;
            reached = level;
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
            if (depth == 0) break;
            open_collection closed = stack[--depth];
            if (closed.anchor && !table_set(&anchors, closed.anchor, result.nodes - closed.nodes_before,
                                            closed.deepest - closed.level + 1)) {
                result.verdict = PLATFORM_YAML_OUT_OF_MEMORY;
            }
            if (depth > 0 && stack[depth - 1].deepest < closed.deepest) stack[depth - 1].deepest = closed.deepest;
            break;
        }
        default:
            break;
        }
        yaml_event_delete(&event);

        if (added_nodes) {
            result.nodes = (result.nodes > (size_t)-1 - added_nodes) ? (size_t)-1 : result.nodes + added_nodes;
            if (depth > 0 && stack[depth - 1].deepest < reached) stack[depth - 1].deepest = reached;
            if (result.depth < reached) result.depth = reached;
            if (result.verdict == PLATFORM_YAML_WITHIN_LIMITS) {
                if (over(result.depth, limits.max_depth)) result.verdict = PLATFORM_YAML_TOO_DEEP;
                else if (over(result.nodes, limits.max_nodes)) result.verdict = PLATFORM_YAML_TOO_MANY_NODES;
            }
        }
        if (result.verdict != PLATFORM_YAML_WITHIN_LIMITS) {
            result.line = line;
            result.column = column;
            break;
        }
    }

    for (size_t i = 0; i < depth; i++) free(stack[i].anchor);
    free(stack);
    table_free(&anchors);
    yaml_parser_delete(&parser);
    return result;
}

#ifndef PLATFORM_YAML_LIMITS_H
#define PLATFORM_YAML_LIMITS_H

#include <stddef.h>

/// What a YAML document may cost once its aliases are expanded. Zero means "no limit".
typedef struct {
    size_t max_bytes;
    size_t max_nodes;
    size_t max_depth;
    size_t max_aliases;
} platform_yaml_limits;

/// Which limit a document crossed, if any.
typedef enum {
    PLATFORM_YAML_WITHIN_LIMITS = 0,
    PLATFORM_YAML_TOO_LARGE = 1,
    PLATFORM_YAML_TOO_MANY_NODES = 2,
    PLATFORM_YAML_TOO_DEEP = 3,
    PLATFORM_YAML_TOO_MANY_ALIASES = 4,
    /// Not YAML: the caller's own parser reports it (everything before the error was within limits).
    PLATFORM_YAML_SYNTAX_ERROR = 5,
    PLATFORM_YAML_OUT_OF_MEMORY = 6,
} platform_yaml_verdict;

/// The verdict, where (1-based) it was reached, and what was counted up to there.
typedef struct {
    platform_yaml_verdict verdict;
    size_t line;
    size_t column;
    size_t nodes;
    size_t depth;
    size_t aliases;
} platform_yaml_measurement;

/// Measures a YAML stream from libyaml's events, without building it: every alias counts
/// the nodes and depth of what it names (remembered per anchor), so the work is linear in
/// the text however much the aliases would expand. Stops at the first limit crossed.
platform_yaml_measurement platform_yaml_measure(const unsigned char *input, size_t length, platform_yaml_limits limits);

#endif

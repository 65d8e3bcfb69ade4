package kz.qaqpa.directives.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the fields of one JSON object, recording a {@link Violation} for each missing or mistyped
 * one instead of stopping at the first, and, when asked, one for each field it was never asked for.
 */
final class FieldReader {

    private final ObjectNode node;
    private final String pointer;
    private final List<Violation> violations;
    private final Set<String> read = new HashSet<>();

    FieldReader(ObjectNode node, String pointer, List<Violation> violations) {
        this.node = node;
        this.pointer = pointer;
        this.violations = violations;
    }

    String pointer(String field) {
        return pointer + "/" + field.replace("~", "~0").replace("/", "~1");
    }

    void violation(String field, String detail) {
        violations.add(new Violation(field.isEmpty() ? pointer : pointer(field), detail));
    }

    /** Violations recorded so far, by this reader and every other sharing its list. */
    int violationCount() {
        return violations.size();
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    private Optional<JsonNode> value(String field, boolean required) {
        read.add(field);
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                violation(field, "is required");
            }
            return Optional.empty();
        }
        return Optional.of(value);
    }

    Optional<String> text(String field, boolean required, int maxLength) {
        Optional<JsonNode> value = value(field, required);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isTextual()) {
            violation(field, "must be a string");
            return Optional.empty();
        }
        String text = value.get().textValue().strip();
        if (text.isEmpty()) {
            violation(field, "must not be empty");
            return Optional.empty();
        }
        if (text.length() > maxLength) {
            violation(field, "must be at most " + maxLength + " characters");
            return Optional.empty();
        }
        if (text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\t' && c != '\r')) {
            violation(field, "must not contain control characters");
            return Optional.empty();
        }
        return Optional.of(text);
    }

    Optional<Boolean> bool(String field) {
        Optional<JsonNode> value = value(field, false);
        if (value.isPresent() && !value.get().isBoolean()) {
            violation(field, "must be true or false");
            return Optional.empty();
        }
        return value.map(JsonNode::booleanValue);
    }

    Optional<OffsetDateTime> dateTime(String field, boolean required) {
        return text(field, required, 64).flatMap(text -> {
            try {
                return Optional.of(OffsetDateTime.parse(text));
            } catch (DateTimeParseException e) {
                violation(field, "must be an ISO-8601 date and time with offset, such as 2026-11-20T10:00:00+05:00");
                return Optional.empty();
            }
        });
    }

    Optional<LocalDate> date(String field, boolean required) {
        return text(field, required, 16).flatMap(text -> {
            try {
                return Optional.of(LocalDate.parse(text));
            } catch (DateTimeParseException e) {
                violation(field, "must be an ISO-8601 date, such as 2026-11-20");
                return Optional.empty();
            }
        });
    }

    <E extends Enum<E>> Optional<E> constant(String field, boolean required, Class<E> type) {
        return text(field, required, 64).flatMap(text -> {
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equals(text)) {
                    return Optional.of(constant);
                }
            }
            violation(field, "must be one of " + List.of(type.getEnumConstants()));
            return Optional.empty();
        });
    }

    Optional<FieldReader> object(String field, boolean required) {
        Optional<JsonNode> value = value(field, required);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isObject()) {
            violation(field, "must be an object");
            return Optional.empty();
        }
        return Optional.of(new FieldReader((ObjectNode) value.get(), pointer(field), violations));
    }

    Optional<ArrayNode> array(String field, boolean required) {
        Optional<JsonNode> value = value(field, required);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!value.get().isArray()) {
            violation(field, "must be an array");
            return Optional.empty();
        }
        return Optional.of((ArrayNode) value.get());
    }

    /** An array of 1 to {@code maxItems} non-empty strings of at most {@code maxLength} characters each. */
    Optional<List<String>> texts(String field, boolean required, int maxItems, int maxLength) {
        Optional<ArrayNode> array = array(field, required);
        if (array.isEmpty()) {
            return Optional.empty();
        }
        if (array.get().isEmpty() || array.get().size() > maxItems) {
            violation(field, "must hold 1 to " + maxItems + " strings");
            return Optional.empty();
        }
        List<String> texts = new java.util.ArrayList<>();
        for (int i = 0; i < array.get().size(); i++) {
            JsonNode item = array.get().get(i);
            String text = item.isTextual() ? item.textValue().strip() : "";
            if (text.isEmpty() || text.length() > maxLength || text.chars().anyMatch(Character::isISOControl)) {
                violation(field + "/" + i, "must be a non-empty string of at most " + maxLength
                        + " characters, without control characters");
                return Optional.empty();
            }
            texts.add(text);
        }
        return Optional.of(List.copyOf(texts));
    }

    Optional<JsonNode> raw(String field, boolean required) {
        return value(field, required);
    }

    /** Records every field that no read asked for. */
    void rejectUnknownFields() {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                violation(name, "is not a field of this object");
            }
        }
    }
}

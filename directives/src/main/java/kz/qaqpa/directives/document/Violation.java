package kz.qaqpa.directives.document;

/**
 * One thing wrong with a submitted document.
 *
 * @param pointer where, as a JSON Pointer (RFC 6901) into the document: {@code /targets/3/value}
 * @param detail  what is wrong, for the person who wrote it
 */
public record Violation(String pointer, String detail) {
}

package kz.qaqpa.directives.document;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The authority's name in Kazakh and in Russian, for the texts written in each language — the
 * restoration order, its letter, operators' notices, the public page (seed 003, appendix: "уәкілетті
 * органның толық атауы"). A directive names its authority ({@code authority.name}) and may give
 * the full name in each language as well ({@code authority.nameKk}, {@code authority.nameRu}); a
 * language it does not give reads the {@code name}. The signed document is where they live: the
 * names are read from it, never kept apart.
 */
public final class AuthorityNames {

    /** The field of {@code authority} with the name in Kazakh. */
    public static final String KAZAKH = "nameKk";
    /** The field of {@code authority} with the name in Russian. */
    public static final String RUSSIAN = "nameRu";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuthorityNames() {
    }

    /**
     * The authority's name in {@code language} ("kk" or "ru") as the signed {@code document} gives
     * it; {@code name} (the directive's {@code authority.name}) when it gives none, or for any other language.
     */
    public static String in(byte[] document, String language, String name) {
        String field = "kk".equals(language) ? KAZAKH : "ru".equals(language) ? RUSSIAN : null;
        JsonNode authority = authority(document);
        if (field == null || authority == null || !authority.path(field).isTextual()) {
            return name;
        }
        return authority.get(field).asText();
    }

    /** Copies the names in each language that {@code document} gives into {@code authority}, a directive being drafted. */
    public static void copy(byte[] document, ObjectNode authority) {
        JsonNode from = authority(document);
        for (String field : new String[] {KAZAKH, RUSSIAN}) {
            if (from != null && from.path(field).isTextual()) {
                authority.put(field, from.get(field).asText());
            }
        }
    }

    private static JsonNode authority(byte[] document) {
        try {
            JsonNode authority = JSON.readTree(document).path("authority");
            return authority.isObject() ? authority : null;
        } catch (IOException | RuntimeException e) {
            return null; // a stored document is one the intake parsed; anything else has no names to give
        }
    }
}

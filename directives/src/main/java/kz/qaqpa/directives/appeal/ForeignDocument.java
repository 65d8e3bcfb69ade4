package kz.qaqpa.directives.appeal;

import java.util.Locale;
import java.util.Set;

/**
 * How an appellant without a Kazakh IIN or BIN is identified — a foreign owner, representative or
 * user (seed 003 §3 names no nationality): a document, its number and the country that issued it.
 *
 * @param type    {@link #TYPES}: a passport, an identity card or a residence permit for a person,
 *                a registration in a companies register for an organisation
 * @param number  as written on the document
 * @param country ISO 3166-1 alpha-2 code of the issuing country
 */
public record ForeignDocument(String type, String number, String country) {

    public static final Set<String> TYPES = Set.of("PASSPORT", "ID_CARD", "RESIDENCE_PERMIT", "COMPANY_REGISTRATION");
    /** The ISO 3166-1 alpha-2 codes the JDK knows. */
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    /** What is wrong with it, or an empty string. */
    String problem() {
        if (type == null || !TYPES.contains(type)) {
            return "type is one of " + TYPES.stream().sorted().toList();
        }
        if (number == null || number.isBlank() || number.strip().length() > 64
                || number.chars().anyMatch(Character::isISOControl)) {
            return "number: the document's number, at most 64 characters";
        }
        if (country == null || !COUNTRIES.contains(country)) {
            return "country: the issuing country's ISO 3166-1 code, such as DE or TR";
        }
        return "";
    }
}

package kz.qaqpa.directives.text;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words people read — pages, e-mails — in Kazakh, Russian and English, kept in resource bundles
 * ({@code NAME_kk.properties}, {@code NAME_ru.properties}, {@code NAME_en.properties}, UTF-8), one
 * file per language and none in the code. A text may name values as {@code {number}}; they are
 * put in as given (a page escapes them when it shows them; an e-mail is plain text).
 *
 * <p>No bundle falls back to another language or to the JVM's locale: a key missing in one language
 * is an error, and {@code TextsTest} checks every bundle has the same keys in all three.
 */
public final class Texts {

    /** The languages, the default first: Kazakh is the state language. */
    public static final List<String> LANGUAGES = List.of("kk", "ru", "en");

    private static final Pattern VALUE = Pattern.compile("\\{([A-Za-z]+)}");
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final String language;
    private final ResourceBundle bundle;

    private Texts(String language, ResourceBundle bundle) {
        this.language = language;
        this.bundle = bundle;
    }

    /** The texts of bundle {@code name} (a class-path base name) in {@code language}, or in Kazakh when it is none of the three. */
    public static Texts of(String name, String language) {
        String chosen = language(language);
        return new Texts(chosen, ResourceBundle.getBundle(name, Locale.forLanguageTag(chosen), Texts.class.getClassLoader(),
                NO_FALLBACK));
    }

    /** The language asked for when it is one of the three, else Kazakh. */
    public static String language(String asked) {
        return asked != null && LANGUAGES.contains(asked) ? asked : LANGUAGES.get(0);
    }

    public String language() {
        return language;
    }

    /** The text of {@code key}. @throws MissingResourceException when this language lacks it */
    public String get(String key) {
        return bundle.getString(key);
    }

    /** The text of {@code key} with its {@code {name}}s replaced by {@code values}. */
    public String format(String key, Map<String, String> values) {
        Matcher names = VALUE.matcher(get(key));
        StringBuilder text = new StringBuilder();
        while (names.find()) {
            String value = values.get(names.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for {" + names.group(1) + "} in " + key);
            }
            names.appendReplacement(text, Matcher.quoteReplacement(value));
        }
        return names.appendTail(text).toString();
    }

    /** Every key the bundle holds in this language. */
    public Set<String> keys() {
        return bundle.keySet();
    }
}

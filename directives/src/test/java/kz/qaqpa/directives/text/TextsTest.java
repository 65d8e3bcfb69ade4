package kz.qaqpa.directives.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every text a person reads exists in Kazakh, Russian and English — the documents the law has in
 * Kazakh and Russian (the operator's notice, the restoration order) in those two — and no language
 * stands in for another.
 */
public class TextsTest {

    private static final String NOTICES = "kz.qaqpa.directives.appeal.notices";

    @Test
    void theAppealNoticesHaveTheSameKeysInAllThreeLanguages() {
        assertSameKeysInEveryLanguage(NOTICES);
    }

    @Test
    void theRestorationOrderHasTheSameKeysInKazakhAndRussian() {
        assertSameKeys("kz.qaqpa.directives.appeal.order", "kk", "ru");
    }

    @Test
    void anUnknownLanguageIsKazakhAndValuesArePutInAsGiven() {
        Texts texts = Texts.of(NOTICES, "de");
        assertThat(texts.language()).isEqualTo("kk");
        assertThat(texts.format("registered.subject", Map.of("number", "Ж-2026-000001")))
                .isEqualTo("Жолданым Ж-2026-000001 тіркелді");
        assertThat(Texts.of(NOTICES, "en").format("decided.refused", Map.of("resource", "$1 {number}", "reasons", "\\ no")))
                .as("a value is text, never a pattern").startsWith("Restoring access to $1 {number} is refused. Reasons: \\ no\r\n");
        assertThatThrownBy(() -> texts.format("registered.subject", Map.of())).hasMessageContaining("{number}");
    }

    /** For every bundle of the product: the same keys in kk, ru and en. */
    public static void assertSameKeysInEveryLanguage(String bundle) {
        assertSameKeys(bundle, Texts.LANGUAGES.toArray(String[]::new));
    }

    /** For a bundle in the given languages (Kazakh among them): the same keys in each, none blank. */
    public static void assertSameKeys(String bundle, String... languages) {
        var kazakh = Texts.of(bundle, "kk").keys();
        assertThat(kazakh).isNotEmpty();
        for (String language : languages) {
            Texts texts = Texts.of(bundle, language);
            assertThat(texts.language()).isEqualTo(language);
            assertThat(texts.keys()).as("%s in %s", bundle, language).containsExactlyInAnyOrderElementsOf(kazakh);
            texts.keys().forEach(key -> assertThat(texts.get(key)).as("%s %s in %s", bundle, key, language).isNotBlank());
        }
    }
}

package kz.qaqpa.gateway.appeals;

import kz.qaqpa.directives.text.TextsTest;
import org.junit.jupiter.api.Test;

/** The pages' words exist in Kazakh, Russian and English alike. */
class PageTextsTest {

    @Test
    void thePagesHaveTheSameKeysInAllThreeLanguages() {
        TextsTest.assertSameKeysInEveryLanguage(AppealPages.BUNDLE);
    }
}

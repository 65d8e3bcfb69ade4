package kz.qaqpa.gateway.console;

import kz.qaqpa.directives.text.TextsTest;
import org.junit.jupiter.api.Test;

/** The console's words exist in Kazakh, Russian and English alike. */
class ConsoleTextsTest {

    @Test
    void theConsoleHasTheSameKeysInAllThreeLanguages() {
        TextsTest.assertSameKeysInEveryLanguage(Console.BUNDLE);
    }
}

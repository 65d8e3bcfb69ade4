package kz.qaqpa.directives.store;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that needs the PostgreSQL named by {@code QAQPA_TEST_PG_URL}. Without it the class is
 * skipped, and the console says so and how to enable it (Surefire otherwise keeps skip reasons to
 * its XML reports).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPostgres.Condition.class)
public @interface RequiresPostgres {

    /** Enables the class when the variable is set; otherwise prints the reason and disables it. */
    final class Condition implements ExecutionCondition {

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String url = System.getenv(ThrowAwayDatabase.PG_URL_VARIABLE);
            if (url != null && !url.isBlank()) {
                return ConditionEvaluationResult.enabled(ThrowAwayDatabase.PG_URL_VARIABLE + " is set");
            }
            if (context.getTestMethod().isEmpty()) {
                System.out.println("[skipped] " + context.getDisplayName() + ": " + ThrowAwayDatabase.PG_SKIP_REASON);
            }
            return ConditionEvaluationResult.disabled(ThrowAwayDatabase.PG_SKIP_REASON);
        }
    }
}

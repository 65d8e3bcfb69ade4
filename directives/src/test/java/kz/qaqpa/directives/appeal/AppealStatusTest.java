package kz.qaqpa.directives.appeal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The appeal's moves, written once: every update of appeal.status names exactly the states allowed before it. */
class AppealStatusTest {

    @Test
    void anAppealMovesOnlyForwardAndADecisionIsFinal() {
        assertThat(AppealStatus.sqlFrom(AppealStatus.MONITORING)).isEqualTo("('REGISTERED')");
        assertThat(AppealStatus.sqlFrom(AppealStatus.REFUSED)).isEqualTo("('NEEDS_MATCHING', 'REGISTERED', 'MONITORING')");
        assertThat(AppealStatus.sqlFrom(AppealStatus.REGISTERED)).as("the authority links an unmatched appeal")
                .isEqualTo("('NEEDS_MATCHING')");
        assertThat(AppealStatus.sqlFrom(AppealStatus.REMOVAL_CONFIRMED)).isEqualTo("('REGISTERED', 'MONITORING')");
        assertThat(AppealStatus.sqlFrom(AppealStatus.RESTORED)).isEqualTo("('REMOVAL_CONFIRMED')");
        assertThat(AppealStatus.REFUSED.mayMoveTo(AppealStatus.RESTORED)).isFalse();
        assertThat(AppealStatus.RESTORED.mayMoveTo(AppealStatus.REMOVAL_CONFIRMED)).isFalse();
        assertThat(AppealStatus.sqlUndecided()).isEqualTo("('NEEDS_MATCHING', 'REGISTERED', 'MONITORING')");
    }
}

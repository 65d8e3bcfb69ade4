package kz.qaqpa.blocklist.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A secondary's 32-bit SOA serial, read back against the list's 64-bit head (RFC 1982). */
class SerialTest {

    @Test
    void aSerialPastTwoToTheThirtyTwoWrapsInTheSoa() {
        assertThat(Serial.soa(7)).isEqualTo(7);
        assertThat(Serial.soa((1L << 32) + 5)).isEqualTo(5);
    }

    @Test
    void aClientBehindTheHeadIsFoundAcrossTheWrap() {
        long head = (1L << 32) + 5;
        assertThat(Serial.behind(head, 3)).hasValue(head - 2);
        assertThat(Serial.behind(head, 0xffff_fff0L)).hasValue(head - 21);
        assertThat(Serial.behind(100, 100)).hasValue(100);
    }

    @Test
    void aClientAheadOfTheHeadOrBeforeTheFirstSerialIsNoPlaceInTheLog() {
        assertThat(Serial.behind(100, 101)).isEmpty();
        assertThat(Serial.behind(100, 0xffff_fff0L)).as("before serial 0").isEmpty();
        assertThat(Serial.behind(1L << 40, (1L << 31) - 1)).as("2^31 - 1 ahead").isEmpty();
        assertThat(Serial.behind(1L << 40, 1L << 31)).as("2^31 apart: RFC 1982 leaves it undefined").isEmpty();
        assertThat(Serial.behind(1L << 40, (1L << 31) + 1)).as("2^31 - 1 behind").hasValue((1L << 40) - (1L << 31) + 1);
    }
}

package com.gladstream.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CellsTest {

    @Test
    void numbersKeepThreeSignificantFiguresAtEveryMagnitude() {
        assertThat(Cells.number(1234.5)).isEqualTo("1235");
        assertThat(Cells.number(12.34)).isEqualTo("12.3");
        assertThat(Cells.number(0.5)).isEqualTo("0.500");
        assertThat(Cells.number(0.000412)).isEqualTo("0.000412");
        assertThat(Cells.ratio(0.0000518)).isEqualTo("0.0000518×");
        assertThat(Cells.number(0)).isEqualTo("0.000");
    }
}

package io.cockpitwsjava.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProblemTest {

    @ParameterizedTest
    @EnumSource(Problem.class)
    void wireNameRoundTripsAndIsTheConstantNameInKebabCase(Problem problem) {
        assertEquals(Optional.of(problem), Problem.fromWire(problem.wireName()));
        assertEquals(problem.name().toLowerCase().replace('_', '-'), problem.wireName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "PROTOCOL_ERROR", "Protocol-Error", "protocol_error", "something-new"})
    void unknownNamesAreEmpty(String name) {
        assertEquals(Optional.empty(), Problem.fromWire(name));
    }

    @Test
    void nullIsEmpty() {
        assertEquals(Optional.empty(), Problem.fromWire(null));
    }

    @Test
    void coversTheContractTable() {
        // docs/protocol.md §10
        String[] contract = {"authentication-failed", "authentication-unavailable", "authentication-not-supported",
                "unknown-hostkey", "invalid-hostkey", "unknown-host", "no-host", "no-cockpit", "not-supported",
                "access-denied", "terminated", "disconnected", "timeout", "no-session", "internal-error",
                "protocol-error", "unsupported-shell", "no-forwarding", "too-large", "not-found"};
        assertEquals(contract.length, Problem.values().length);
        assertTrue(Arrays.stream(contract).allMatch(name -> Problem.fromWire(name).isPresent()));
    }
}

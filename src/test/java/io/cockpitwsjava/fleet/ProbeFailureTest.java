package io.cockpitwsjava.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import io.cockpitwsjava.protocol.Problem;
import io.cockpitwsjava.protocol.ProblemException;

/** From the connector's failure to the fixed reason the fleet page and the metrics show. */
class ProbeFailureTest {

    static ProbeProblem of(Problem p, Throwable cause) {
        return ProbeFailure.connecting(new CompletionException(new ProblemException(p, "x", cause))).problem();
    }

    @Test
    void mapsTheConnectorsProblems() {
        assertEquals(ProbeProblem.HOST_KEY_UNKNOWN, of(Problem.UNKNOWN_HOSTKEY, null));
        assertEquals(ProbeProblem.HOST_KEY_MISMATCH, of(Problem.INVALID_HOSTKEY, null));
        assertEquals(ProbeProblem.AUTH_FAILED, of(Problem.AUTHENTICATION_FAILED, null));
        assertEquals(ProbeProblem.TIMEOUT, of(Problem.TIMEOUT, null));
        assertEquals(ProbeProblem.CLOSED, of(Problem.TERMINATED, null));
    }

    /** An unreachable host: the socket exception under it (MINA wraps it once more) tells why. */
    @Test
    void tellsRefusedFromTimedOutFromUnreachable() {
        assertEquals(ProbeProblem.REFUSED, of(Problem.UNKNOWN_HOST,
                new ExecutionException(new ConnectException("Connection refused"))));
        assertEquals(ProbeProblem.TIMEOUT, of(Problem.UNKNOWN_HOST, new SocketTimeoutException("no answer")));
        assertEquals(ProbeProblem.TIMEOUT, of(Problem.UNKNOWN_HOST, new ConnectException("Connection timed out")));
        assertEquals(ProbeProblem.UNREACHABLE, of(Problem.UNKNOWN_HOST, new NoRouteToHostException("No route")));
        assertEquals(ProbeProblem.UNREACHABLE, of(Problem.UNKNOWN_HOST, null));
        assertEquals(ProbeProblem.INTERNAL, ProbeFailure.connecting(new IllegalStateException("?")).problem());
    }
}

package io.cockpitwsjava.ssh;

import io.cockpitwsjava.protocol.HostTarget;
import org.apache.sshd.client.session.ClientSession;

/**
 * An authenticated SSH connection, ready for {@code createExecChannel}.
 *
 * @param session                   the MINA session; the caller owns it and closes it
 * @param knownHostsForLoginData    the trusted lines for this host (the browser's plus a newly accepted one),
 *                                  {@code \n}-terminated, for {@code login-data.known-hosts} (docs/protocol.md §5.6.5);
 *                                  empty if there are none
 * @param target                    the destination, with the user that logged in
 */
public record SshLogin(ClientSession session, String knownHostsForLoginData, HostTarget target) {
}

package dev.foyer.session;

import java.util.List;

/**
 * Sessions of one tenant that have just ended (not expired), each with the apps that signed in through it: what
 * back-channel logout tells those apps. Published inside the transaction that ended them, if there is one.
 */
public record SsoSessionsEnded(String tenantId, List<Session> sessions) {

	/** One ended session: its id (the {@code sid} of its ID tokens), its account, and its apps' application ids. */
	public record Session(String id, String accountId, List<String> applicationIds) {
	}

}

package dev.foyer.audit;

import java.time.Instant;
import java.util.List;

/**
 * One sign-in attempt on a tenant's hosted pages, as the sign-in log shows it.
 *
 * @param outcome what came of it: {@code success}, {@code invalidCredentials} (a wrong address, password or code),
 * {@code lockedOut}, {@code blocked}, {@code rateLimited}, {@code codeExpired}, {@code extensionRefused} or
 * {@code extensionFailed}
 * @param interactive whether the person signed in on a page; {@code false} for an app's sign-in answered from their
 * single sign-on session, with the methods that session was started with
 * @param authenticationMethods how it signed in, or tried to: {@code pwd}, {@code otp}
 * @param userId the account the attempt named, where one has that address (also for failures)
 * @param email the address typed, in its unique form
 * @param clientId the app that asked for the sign-in, if one did
 */
public record SignInEvent(long id, Instant occurredAt, String outcome, boolean interactive,
		List<String> authenticationMethods, String userId, String email, String clientId, String ipAddress,
		String userAgent, String requestId) {
}

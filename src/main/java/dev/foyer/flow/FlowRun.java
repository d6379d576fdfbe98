package dev.foyer.flow;

import java.time.Instant;
import java.util.Map;

/**
 * One person's way through a user flow (sign-in, sign-up, ...): persisted state with an expiry and a CSRF token,
 * bound to the browser that started it. {@code returnTo} is where the person goes when the flow succeeds (an
 * authorization request of the same tenant); {@code data} is what the flow has gathered so far.
 */
public record FlowRun(String id, String tenantId, String kind, String step, String csrfToken, String returnTo,
		Map<String, String> data, Instant expiresAt) {

	public FlowRun withStep(String newKind, String newStep, Map<String, String> newData) {
		return new FlowRun(this.id, this.tenantId, newKind, newStep, this.csrfToken, this.returnTo, Map.copyOf(newData),
				this.expiresAt);
	}

	public String get(String key) {
		return this.data.get(key);
	}

}

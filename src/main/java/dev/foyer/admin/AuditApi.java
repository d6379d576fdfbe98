package dev.foyer.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.foyer.audit.AuditEvent;
import dev.foyer.audit.AuditLog;
import dev.foyer.audit.SignInEvent;
import dev.foyer.audit.SignInLog;
import dev.foyer.web.FieldChecks;

/**
 * The audit log of a tenant's admin changes, and its sign-in log (Graph's {@code auditLogs/signIns}): newest first,
 * filtered, keyset-paged.
 */
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/auditLogs")
class AuditApi {

	private final AuditLog audit;

	private final SignInLog signIns;

	private final AdminAccess access;

	AuditApi(AuditLog audit, SignInLog signIns, AdminAccess access) {
		this.audit = audit;
		this.signIns = signIns;
		this.access = access;
	}

	@GetMapping
	Listing<AuditEvent> list(@PathVariable String tenantId, @RequestParam(required = false) String action,
			@RequestParam(required = false) String actorId, @RequestParam(required = false) String targetId,
			@RequestParam(required = false) String since, @RequestParam(required = false) String until,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
		this.access.check(tenantId, AdminAccess.Area.AUDIT);
		PageRequest page = PageRequest.of(new FieldChecks(), since, until, cursor, limit);
		return page.listing(before -> this.audit.list(tenantId,
				new AuditLog.Query(action, actorId, targetId, page.since(), page.until(), before, page.size())), AuditEvent::id);
	}

	@GetMapping("/signIns")
	Listing<SignInEvent> signIns(@PathVariable String tenantId, @RequestParam(required = false) String userId,
			@RequestParam(required = false) String outcome, @RequestParam(required = false) String interactive,
			@RequestParam(required = false) String since, @RequestParam(required = false) String until,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
		this.access.check(tenantId, AdminAccess.Area.AUDIT);
		FieldChecks checks = new FieldChecks();
		checks.oneOf("outcome", outcome, SignInLog.OUTCOMES, false);
		checks.oneOf("interactive", interactive, List.of("true", "false"), false);
		PageRequest page = PageRequest.of(checks, since, until, cursor, limit);
		Boolean onPage = interactive == null ? null : Boolean.valueOf(interactive);
		return page.listing(before -> this.signIns.list(tenantId,
				new SignInLog.Query(userId, outcome, onPage, page.since(), page.until(), before, page.size())),
				SignInEvent::id);
	}

	/** A listing's time window, cursor and size, checked: all problems at once, as 400. */
	private record PageRequest(Instant since, Instant until, Long before, int size) {

		/** With the listing's own problems already in {@code checks}, if any. */
		static PageRequest of(FieldChecks checks, String since, String until, String cursor, Integer limit) {
			int size = checks.range("limit", limit, 1, 200, 50);
			Instant from = instant(checks, "since", since);
			Instant to = instant(checks, "until", until);
			Long before = null;
			if (cursor != null) {
				try {
					before = Long.parseLong(cursor);
				}
				catch (NumberFormatException ex) {
					checks.problem("cursor", "is not a cursor this API returned");
				}
			}
			checks.throwIfAny();
			return new PageRequest(from, to, before, size);
		}

		/** The page read with one row more than its size: that row only says another page follows. */
		<T> Listing<T> listing(Function<Long, List<T>> read, ToLongFunction<T> id) {
			List<T> rows = read.apply(this.before);
			if (rows.size() <= this.size) {
				return new Listing<>(rows, null);
			}
			List<T> page = rows.subList(0, this.size);
			return new Listing<>(List.copyOf(page), String.valueOf(id.applyAsLong(page.get(this.size - 1))));
		}

		private static Instant instant(FieldChecks checks, String field, String value) {
			if (value == null) {
				return null;
			}
			try {
				return Instant.parse(value);
			}
			catch (DateTimeParseException ex) {
				checks.problem(field, "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z");
				return null;
			}
		}

	}

}

package dev.foyer.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.foyer.audit.AuditEvent;
import dev.foyer.audit.AuditLog;
import dev.foyer.web.FieldChecks;

/** The audit log of a tenant, newest first, filtered by action, actor, target and time. */
@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/auditLogs")
class AuditApi {

	private final AuditLog audit;

	private final AdminAccess access;

	AuditApi(AuditLog audit, AdminAccess access) {
		this.audit = audit;
		this.access = access;
	}

	@GetMapping
	Listing<AuditEvent> list(@PathVariable String tenantId, @RequestParam(required = false) String action,
			@RequestParam(required = false) String actorId, @RequestParam(required = false) String targetId,
			@RequestParam(required = false) String since, @RequestParam(required = false) String until,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
		this.access.check(tenantId, AdminAccess.Area.AUDIT);
		FieldChecks checks = new FieldChecks();
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
		List<AuditEvent> events = this.audit.list(tenantId,
				new AuditLog.Query(action, actorId, targetId, from, to, before, size));
		if (events.size() <= size) {
			return new Listing<>(events, null);
		}
		List<AuditEvent> page = events.subList(0, size);
		return new Listing<>(List.copyOf(page), String.valueOf(page.get(size - 1).id()));
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

package dev.foyer.admin;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.foyer.application.Applications;
import dev.foyer.attribute.CustomAttributes;
import dev.foyer.audit.AuditLog;
import dev.foyer.directory.Account;
import dev.foyer.directory.Accounts;
import dev.foyer.directory.Group;
import dev.foyer.directory.Groups;
import dev.foyer.directory.Page;
import dev.foyer.session.SsoSession;
import dev.foyer.session.SsoSessions;
import dev.foyer.signin.SignInThrottle;

@RestController
@RequestMapping("/api/v1/tenants/{tenantId}/users")
class UsersApi {

	private final Accounts accounts;

	private final Groups groups;

	private final AdminAccess access;

	private final CustomAttributes customAttributes;

	private final SignInThrottle lockouts;

	private final AuditLog audit;

	private final dev.foyer.signin.ResetMails resetMails;

	private final SsoSessions sessions;

	private final Applications applications;

	UsersApi(Accounts accounts, Groups groups, AdminAccess access, CustomAttributes customAttributes,
			SignInThrottle lockouts, AuditLog audit, dev.foyer.signin.ResetMails resetMails, SsoSessions sessions,
			Applications applications) {
		this.sessions = sessions;
		this.applications = applications;
		this.resetMails = resetMails;
		this.lockouts = lockouts;
		this.audit = audit;
		this.customAttributes = customAttributes;
		this.accounts = accounts;
		this.groups = groups;
		this.access = access;
	}

	/** An account as the admin API shows it: the built-in attributes, then the custom ones by name. */
	record UserView(@JsonUnwrapped Account account, Map<String, Object> attributes) {
	}

	private UserView view(String tenantId, Account account) {
		return new UserView(account, this.customAttributes.valuesOf(tenantId, List.of(account.id()))
			.getOrDefault(account.id(), Map.of()));
	}

	private List<UserView> views(String tenantId, List<Account> accounts) {
		Map<String, Map<String, Object>> values = this.customAttributes.valuesOf(tenantId,
				accounts.stream().map(Account::id).toList());
		return accounts.stream().map(a -> new UserView(a, values.getOrDefault(a.id(), Map.of()))).toList();
	}

	/** The body of POST and PATCH. On PATCH an absent field stays as it is and "" clears an attribute. */
	record UserBody(String email, String password, String accountType, Boolean accountEnabled, Boolean emailVerified,
			String displayName, String givenName, String surname, String streetAddress, String city, String state,
			String postalCode, String country, String jobTitle, String companyName, Map<String, Object> attributes) {

		Accounts.Profile profile() {
			return new Accounts.Profile(this.displayName, this.givenName, this.surname, this.streetAddress, this.city,
					this.state, this.postalCode, this.country, this.jobTitle, this.companyName);
		}

	}

	@PostMapping
	ResponseEntity<UserView> create(@PathVariable String tenantId, @RequestBody UserBody body) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		Account created = this.accounts.create(tenantId, new Accounts.NewAccount(body.email(), body.password(),
				body.accountType(), body.accountEnabled(), body.emailVerified(), body.profile(), body.attributes()));
		return ResponseEntity.created(URI.create("/api/v1/tenants/" + tenantId + "/users/" + created.id()))
			.body(view(tenantId, created));
	}

	/**
	 * Search by email or display-name prefix ({@code search}), by email prefix alone ({@code email}), or by the exact
	 * value of a custom attribute
	 * ({@code attribute} and {@code value}).
	 */
	@GetMapping
	Listing<UserView> search(@PathVariable String tenantId, @RequestParam(required = false) String search,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit,
			@RequestParam(required = false) String attribute, @RequestParam(required = false) String value,
			@RequestParam(required = false) String email) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		if (attribute != null || value != null) {
			if (attribute == null || value == null) {
				throw dev.foyer.web.ApiException.invalid(attribute == null ? "attribute" : "value",
						"attribute and value go together");
			}
			List<Account> found = this.customAttributes.accountsWith(tenantId, attribute, value).stream()
				.limit(Accounts.MAX_PAGE_SIZE)
				.map(id -> this.accounts.find(tenantId, id))
				.flatMap(java.util.Optional::stream)
				.toList();
			return new Listing<>(views(tenantId, found), null);
		}
		if (email != null && search != null) {
			throw dev.foyer.web.ApiException.invalid("email", "use either search or email");
		}
		Page<Account> page = email != null ? this.accounts.search(tenantId, email, true, cursor, limit)
				: this.accounts.search(tenantId, search, cursor, limit);
		return new Listing<>(views(tenantId, page.items()), page.nextCursor());
	}

	@GetMapping("/{userId}")
	UserView get(@PathVariable String tenantId, @PathVariable String userId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		return view(tenantId, this.accounts.get(tenantId, userId));
	}

	@PatchMapping("/{userId}")
	UserView update(@PathVariable String tenantId, @PathVariable String userId, @RequestBody UserBody body) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.access.checkCanManage(tenantId, userId);
		if (body.accountType() != null) {
			throw dev.foyer.web.ApiException.invalid("accountType", "cannot be changed; create a new account instead");
		}
		return view(tenantId, this.accounts.update(tenantId, userId, new Accounts.AccountChanges(body.email(),
				body.password(), body.accountEnabled(), body.emailVerified(), body.profile(), body.attributes())));
	}

	@DeleteMapping("/{userId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void delete(@PathVariable String tenantId, @PathVariable String userId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.access.checkCanManage(tenantId, userId);
		this.accounts.delete(tenantId, userId);
	}

	/** Ends every session and revokes every refresh token of the account (Graph's revokeSignInSessions). */
	@PostMapping("/{userId}/revokeSignInSessions")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void revokeSignInSessions(@PathVariable String tenantId, @PathVariable String userId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.access.checkCanManage(tenantId, userId);
		this.accounts.signOutEverywhere(tenantId, userId);
	}

	/** A signed-in browser of the account: when, how, from where, until when, and the apps it signed in to. */
	record SessionView(String id, Instant createdAt, Instant authTime, Instant lastSeenAt, Instant expiresAt,
			Instant idleExpiresAt, List<String> authenticationMethods, String ipAddress, String userAgent,
			List<SessionApp> applications) {
	}

	record SessionApp(String id, String clientId, String displayName) {
	}

	/** The account's live single sign-on sessions, newest first. */
	@GetMapping("/{userId}/sessions")
	Listing<SessionView> sessions(@PathVariable String tenantId, @PathVariable String userId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.accounts.get(tenantId, userId);
		List<SsoSession> live = this.sessions.sessionsOf(tenantId, userId);
		Map<String, List<String>> apps = this.sessions.applicationsOf(tenantId, live.stream().map(SsoSession::id).toList());
		return new Listing<>(live.stream()
			.map(s -> new SessionView(s.id(), s.createdAt(), s.authTime(), s.lastSeenAt(), s.expiresAt(),
					this.sessions.idleExpiresAt(s), s.amr(), s.ipAddress(), s.userAgent(),
					apps.getOrDefault(s.id(), List.of())
						.stream()
						// Apps come from memory, as back-channel logout reads them; a deleted one drops out.
						.flatMap(id -> this.applications.clientOfApplication(tenantId, id).stream())
						.map(client -> new SessionApp(client.application().id(), client.application().clientId(),
								client.application().displayName()))
						.toList()))
			.toList(), null);
	}

	/**
	 * Ends one session of the account, as its owner can on the account page: the browser is signed out, and the web
	 * apps it signed in to hear of it by back-channel logout. Refresh tokens stay (revokeSignInSessions ends those).
	 */
	@DeleteMapping("/{userId}/sessions/{sessionId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void endSession(@PathVariable String tenantId, @PathVariable String userId, @PathVariable String sessionId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.access.checkCanManage(tenantId, userId);
		this.accounts.get(tenantId, userId);
		if (!this.sessions.endOne(tenantId, userId, sessionId)) {
			throw dev.foyer.web.ApiException.notFound("Session");
		}
		this.audit.record(tenantId, "user.endSession", "user", userId, Map.of("sessionId", sessionId), null);
	}

	record PasswordResetBody(String mode) {
	}

	/**
	 * Resets the account's password: {@code temporary} answers a temporary password (shown only here) that the next
	 * sign-in must replace; {@code email} mails the owner a link to the self-service reset page.
	 */
	@PostMapping("/{userId}/resetPassword")
	ResponseEntity<Map<String, Object>> resetPassword(@PathVariable String tenantId, @PathVariable String userId,
			@RequestBody PasswordResetBody body) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.access.checkCanManage(tenantId, userId);
		String mode = new dev.foyer.web.FieldChecks().oneOf("mode", body.mode(), List.of("temporary", "email"), true);
		if (mode == null) {
			throw dev.foyer.web.ApiException.invalid("mode", "must be one of [temporary, email]");
		}
		Account account = this.accounts.get(tenantId, userId);
		if (mode.equals("temporary")) {
			return ResponseEntity.ok(Map.of("temporaryPassword", this.accounts.setTemporaryPassword(tenantId, userId),
					"passwordChangeRequired", true));
		}
		this.resetMails.send(tenantId, account);
		this.audit.record(tenantId, "user.resetMail", "user", userId, null, null);
		return ResponseEntity.accepted().body(Map.of("mailedTo", account.email()));
	}

	/** Lifts a smart lockout of the account's email address at once. */
	@PostMapping("/{userId}/unlock")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void unlock(@PathVariable String tenantId, @PathVariable String userId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		this.access.checkCanManage(tenantId, userId);
		Account account = this.accounts.get(tenantId, userId);
		this.lockouts.clear(tenantId, account.email());
		this.audit.record(tenantId, "user.unlock", "user", account.id(), null, null);
	}

	@GetMapping("/{userId}/groups")
	Listing<Group> groupsOf(@PathVariable String tenantId, @PathVariable String userId) {
		this.access.check(tenantId, AdminAccess.Area.DIRECTORY);
		List<Group> found = this.groups.groupsOf(tenantId, userId);
		return new Listing<>(found, null);
	}

}

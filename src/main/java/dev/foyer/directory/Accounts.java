package dev.foyer.directory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.foyer.attribute.CustomAttribute;
import dev.foyer.attribute.CustomAttributes;
import dev.foyer.audit.AuditLog;
import dev.foyer.audit.SignInLog;
import dev.foyer.bulk.TableCopy;
import dev.foyer.cluster.CacheChanges;
import dev.foyer.cluster.NodeCache;
import dev.foyer.web.ApiException;
import dev.foyer.web.FieldChecks;

/**
 * A tenant's accounts: create, find, search, update, block and delete. Every query names the tenant.
 * Passwords are hashed before a transaction opens, so that a slow hash never holds a database connection.
 */
@Service
public class Accounts {

	public static final int MAX_PAGE_SIZE = 200;

	private final JdbcClient jdbc;

	private final PasswordHashing passwords;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	private final RoleAssignments roles;

	private final CustomAttributes customAttributes;

	private final org.springframework.context.ApplicationEventPublisher events;

	/**
	 * Accounts as the token paths last read them (userinfo, token claims, a refresh token's account check), by
	 * {@code tenant/id}. Every write to an account row below says so, which drops the entry on every node.
	 */
	private final NodeCache<Account> recent;

	/** Enough for the people active on one node at once; each entry is about a kilobyte. */
	static final int RECENT_CAPACITY = 10_000;

	private final AccountSearch search;

	private final SignInLog signIns;

	public Accounts(JdbcClient jdbc, PasswordHashing passwords, AuditLog audit, TransactionTemplate transactions,
			RoleAssignments roles, CustomAttributes customAttributes,
			org.springframework.context.ApplicationEventPublisher events, CacheChanges changes, SignInLog signIns) {
		this.recent = changes.cache("account", RECENT_CAPACITY);
		this.signIns = signIns;
		this.events = events;
		this.jdbc = jdbc;
		this.customAttributes = customAttributes;
		this.roles = roles;
		this.passwords = passwords;
		this.audit = audit;
		this.transactions = transactions;
		this.search = new AccountSearch(jdbc);
	}

	/** The built-in attributes an admin may set. Null means absent; on update, absent means unchanged. */
	public record Profile(String displayName, String givenName, String surname, String streetAddress, String city,
			String state, String postalCode, String country, String jobTitle, String companyName) {
	}

	public record NewAccount(String email, String password, String accountType, Boolean accountEnabled,
			Boolean emailVerified, Profile profile, Map<String, Object> attributes) {
	}

	public record AccountChanges(String email, String password, Boolean accountEnabled, Boolean emailVerified,
			Profile profile, Map<String, Object> attributes) {
	}

	/**
	 * The columns of a new account row and, for each, the name of its value in {@link #columns}; {@link #newRow}
	 * follows this order.
	 */
	private static final List<Map.Entry<String, String>> NEW_ROW = List.of(Map.entry("id", "id"),
			Map.entry("tenant_id", "tenant"), Map.entry("account_type", "type"), Map.entry("email", "email"),
			Map.entry("email_normalized", "emailNormalized"), Map.entry("display_name", "displayName"),
			Map.entry("display_name_lower", "displayNameLower"), Map.entry("given_name", "givenName"),
			Map.entry("surname", "surname"), Map.entry("street_address", "streetAddress"), Map.entry("city", "city"),
			Map.entry("state", "state"), Map.entry("postal_code", "postalCode"), Map.entry("country", "country"),
			Map.entry("job_title", "jobTitle"), Map.entry("company_name", "companyName"),
			Map.entry("password_hash", "passwordHash"), Map.entry("account_enabled", "enabled"),
			Map.entry("email_verified", "verified"), Map.entry("created_at", "createdAt"),
			Map.entry("updated_at", "updatedAt"));

	private static final List<String> NEW_COLUMNS = NEW_ROW.stream().map(Map.Entry::getKey).toList();

	private static final String INSERT_INTO = "insert into account (" + String.join(", ", NEW_COLUMNS) + ") values ";

	/** The statement that adds one account, with the named parameters of {@link #columns}. */
	static final String INSERT = INSERT_INTO + "("
			+ String.join(", ", NEW_ROW.stream().map(c -> ":" + c.getValue()).toList()) + ")";

	/** The most accounts {@link #insertNew} takes: PostgreSQL allows 32,767 parameters in a statement. */
	static final int MAX_ROWS_PER_INSERT = 1000;

	/**
	 * A new account's id: a UUID of version 7 (RFC 9562), the time in milliseconds and then 74 random bits. Ids made one
	 * after another sit together in the primary key's index, and in account_attribute's, which begins with the account:
	 * a bulk load appends to both instead of touching a random page of each per row (with random UUIDs an import cost
	 * PostgreSQL about a sixth more CPU, and more pages written). The id so tells when the account was made, as
	 * {@code createdAt} does.
	 */
	static String newId() {
		// A random UUID (one call to the secure random source) with the time in its first 48 bits and version 7.
		UUID random = UUID.randomUUID();
		long high = (System.currentTimeMillis() << 16) | 0x7000 | (random.getMostSignificantBits() & 0x0FFF);
		return new UUID(high, random.getLeastSignificantBits()).toString();
	}

	/**
	 * One statement that adds those of these accounts whose address has no account in the tenant yet (an import's
	 * batch), and answers how many it added. One multi-row insert costs the database a fraction of as many single-row
	 * inserts, even sent as one JDBC batch.
	 */
	static int insertNew(JdbcTemplate jdbc, List<Account> accounts) {
		String row = "(" + String.join(", ", java.util.Collections.nCopies(NEW_ROW.size(), "?")) + ")";
		String sql = INSERT_INTO + String.join(", ", java.util.Collections.nCopies(accounts.size(), row))
				+ " on conflict do nothing";
		return jdbc.update(sql, statement -> {
			int index = 1;
			for (Account account : accounts) {
				for (Object value : newRow(account)) {
					// Typed setters: setObject(null) would make the driver ask the database for the type.
					switch (value) {
						case null -> statement.setNull(index, java.sql.Types.VARCHAR);
						case Boolean bool -> statement.setBoolean(index, bool);
						case Instant time -> statement.setTimestamp(index, Timestamp.from(time));
						default -> statement.setString(index, (String) value);
					}
					index++;
				}
			}
		});
	}

	/**
	 * Adds these accounts with one COPY, in the caller's transaction (PostgreSQL only, see {@link TableCopy}): the
	 * database parses the rows for less than the multi-row insert's parameters. An address that has an account
	 * already fails the whole COPY with a {@link org.springframework.dao.DuplicateKeyException}.
	 */
	static void copyNew(JdbcTemplate jdbc, List<Account> accounts) {
		jdbc.execute((ConnectionCallback<Long>) connection -> {
			try (TableCopy copy = TableCopy.into(connection, "account", NEW_COLUMNS)) {
				for (Account account : accounts) {
					copy.row(newRow(account));
				}
				return copy.finish();
			}
		});
	}

	/** A new account's values, in the order of {@link #NEW_ROW}. */
	private static Object[] newRow(Account a) {
		return new Object[] { a.id(), a.tenantId(), a.accountType().name(), a.email(), FieldChecks.normaliseEmail(a.email()),
				a.displayName(), a.displayName() == null ? null : a.displayName().toLowerCase(Locale.ROOT), a.givenName(),
				a.surname(), a.streetAddress(), a.city(), a.state(), a.postalCode(), a.country(), a.jobTitle(),
				a.companyName(), a.passwordHash(), a.accountEnabled(), a.emailVerified(), a.createdAt(), a.updatedAt() };
	}

	public Account create(String tenantId, NewAccount request) {
		FieldChecks checks = new FieldChecks();
		String email = checks.email("email", request.email(), true);
		String type = checks.oneOf("accountType", request.accountType(), List.of("customer", "admin"), false);
		Profile profile = checkProfile(checks, request.profile(), null);
		PasswordPolicy.check(checks, "password", request.password(), email);
		Map<CustomAttribute, List<String>> attributes = this.customAttributes.check(checks, tenantId, request.attributes());
		checks.throwIfAny();
		String normalised = FieldChecks.normaliseEmail(email);
		if (emailTaken(tenantId, normalised, null)) {
			throw ApiException.conflict("An account with this email address already exists in the tenant");
		}
		String hash = request.password() == null ? null : this.passwords.hash(request.password());
		Instant now = now();
		Account account = new Account(newId(), tenantId,
				type == null ? Account.AccountType.customer : Account.AccountType.valueOf(type), email,
				profile.displayName(), profile.givenName(), profile.surname(), profile.streetAddress(), profile.city(),
				profile.state(), profile.postalCode(), profile.country(), profile.jobTitle(), profile.companyName(), hash,
				request.accountEnabled() == null || request.accountEnabled(), Boolean.TRUE.equals(request.emailVerified()),
				now, now, null);
		this.transactions.executeWithoutResult(status -> {
			this.jdbc.sql(INSERT).params(columns(account)).update();
			this.customAttributes.write(tenantId, account.id(), attributes);
			this.audit.record(tenantId, "user.create", "user", account.id(), null, account);
		});
		return account;
	}

	public Optional<Account> find(String tenantId, String id) {
		return this.jdbc.sql("select * from account where tenant_id = ? and id = ?")
			.params(tenantId, id)
			.query(Accounts::map)
			.optional();
	}

	/**
	 * The account from this node's memory when it holds it, else from the database. A change made on another node
	 * reaches this one within about a second, as the cluster's other caches do: for the token paths, which run many
	 * times per sign-in; checks of credentials read {@link #find} and {@link #findByEmail}. Its
	 * {@code lastSignInAt} may be older than the row's: a sign-in changes nothing the token paths show, so it keeps
	 * the copy (and writes no change for the other nodes).
	 */
	public Optional<Account> findCached(String tenantId, String id) {
		return this.recent.get(tenantId + "/" + id, key -> find(tenantId, id));
	}

	// Every write to an account row calls this (in its transaction, when it has one), but that of a sign-in's time.
	private void changed(String tenantId, String id) {
		this.recent.changed(tenantId + "/" + id);
	}

	public Optional<Account> findByEmail(String tenantId, String email) {
		return byEmail(tenantId, email, Accounts::map);
	}

	private <T> Optional<T> byEmail(String tenantId, String email, RowMapper<T> mapper) {
		return this.jdbc.sql("select * from account where tenant_id = ? and email_normalized = ?")
			.params(tenantId, FieldChecks.normaliseEmail(email))
			.query(mapper)
			.optional();
	}

	public Account get(String tenantId, String id) {
		return find(tenantId, id).orElseThrow(() -> ApiException.notFound("User"));
	}

	/**
	 * Accounts whose email or display name starts with the search text (case-insensitive), keyset-paged, in the order
	 * of the text that matched: the email where it starts with the text, else the display name (see
	 * {@link AccountSearch}). Deep pages cost what the first does, and so does a text with a million matches.
	 */
	public Page<Account> search(String tenantId, String search, String cursor, Integer limit) {
		return search(tenantId, search, false, cursor, limit);
	}

	/**
	 * As {@link #search(String, String, String, Integer)}; with {@code emailOnly} the text is matched against the
	 * email address alone, in email order.
	 */
	public Page<Account> search(String tenantId, String search, boolean emailOnly, String cursor, Integer limit) {
		FieldChecks checks = new FieldChecks();
		int size = checks.range("limit", limit, 1, MAX_PAGE_SIZE, 50);
		String text = checks.text(emailOnly ? "email" : "search", search, 320, false);
		AccountSearch.Cursor after = cursor == null ? null : AccountSearch.Cursor.decode(checks, cursor);
		checks.throwIfAny();
		return this.search.page(tenantId, text, emailOnly, after, size);
	}

	public Account update(String tenantId, String id, AccountChanges changes) {
		Account before = get(tenantId, id);
		FieldChecks checks = new FieldChecks();
		String email = changes.email() == null ? before.email() : checks.email("email", changes.email(), true);
		Profile profile = checkProfile(checks, changes.profile(), before);
		PasswordPolicy.check(checks, "password", changes.password(), email);
		Map<CustomAttribute, List<String>> attributes = this.customAttributes.check(checks, tenantId, changes.attributes());
		checks.throwIfAny();
		if (changes.email() != null && emailTaken(tenantId, FieldChecks.normaliseEmail(email), id)) {
			throw ApiException.conflict("An account with this email address already exists in the tenant");
		}
		String hash = changes.password() == null ? before.passwordHash() : this.passwords.hash(changes.password());
		boolean emailChanged = !FieldChecks.normaliseEmail(email).equals(FieldChecks.normaliseEmail(before.email()));
		Account after = new Account(id, tenantId, before.accountType(), email, profile.displayName(), profile.givenName(),
				profile.surname(), profile.streetAddress(), profile.city(), profile.state(), profile.postalCode(),
				profile.country(), profile.jobTitle(), profile.companyName(), hash,
				changes.accountEnabled() == null ? before.accountEnabled() : changes.accountEnabled(),
				changes.emailVerified() != null ? changes.emailVerified() : (!emailChanged && before.emailVerified()),
				before.createdAt(), now(), before.lastSignInAt());
		this.transactions.executeWithoutResult(status -> {
			this.jdbc.sql("""
					update account set email = :email, email_normalized = :emailNormalized, display_name = :displayName,
					    display_name_lower = :displayNameLower, given_name = :givenName, surname = :surname,
					    street_address = :streetAddress, city = :city, state = :state, postal_code = :postalCode,
					    country = :country, job_title = :jobTitle, company_name = :companyName, password_hash = :passwordHash,
					    account_enabled = :enabled, email_verified = :verified, updated_at = :updatedAt
					where tenant_id = :tenant and id = :id""")
				.params(columns(after))
				.update();
			changed(tenantId, id);
			this.customAttributes.write(tenantId, id, attributes);
			if (changes.password() != null) {
				// A password chosen now is no longer an administrator's temporary one.
				this.jdbc.sql("update account set password_change_required = false where tenant_id = ? and id = ?")
					.params(tenantId, id)
					.update();
			}
			String action = before.accountEnabled() != after.accountEnabled()
					? (after.accountEnabled() ? "user.unblock" : "user.block") : "user.update";
			this.audit.record(tenantId, action, "user", id, before, after);
			if (before.accountEnabled() && !after.accountEnabled()) {
				// Blocking is for an account that must not go on: its sessions end (and the apps that keep their own
				// hear of it by back-channel logout) and its refresh tokens go, so unblocking later resumes nothing.
				this.events.publishEvent(new SignOutEverywhere(tenantId, id, "account blocked"));
			}
		});
		return after;
	}

	/** A password that matched its account, and whether its owner must replace it (a temporary password) first. */
	public record VerifiedPassword(Account account, boolean changeRequired) {
	}

	/**
	 * Checks a password at sign-in. Returns the account only if the password matches; a failure takes the same time
	 * whether or not the address has an account ({@link PasswordHashing#checkAtSignIn}). A match records the
	 * sign-in and upgrades an old hash.
	 */
	public Optional<VerifiedPassword> verifyPassword(String tenantId, String email, String password) {
		// The row read once for the hash and the temporary-password mark: a sign-in's statements are its cost.
		Optional<VerifiedPassword> found = FieldChecks.normaliseEmail(email).length() > 320 ? Optional.empty()
				: byEmail(tenantId, email,
						(rs, row) -> new VerifiedPassword(map(rs, row), rs.getBoolean("password_change_required")));
		String hash = found.map(v -> v.account().passwordHash()).orElse(null);
		if (!this.passwords.checkAtSignIn(tenantId, password, hash)) {
			return Optional.empty();
		}
		String upgraded = this.passwords.needsRehash(hash) ? this.passwords.hash(password) : hash;
		Instant now = now();
		this.jdbc.sql("update account set last_sign_in_at = ?, password_hash = ? where tenant_id = ? and id = ?")
			.params(Timestamp.from(now), upgraded, tenantId, found.get().account().id())
			.update();
		if (!upgraded.equals(hash)) {
			changed(tenantId, found.get().account().id());
		}
		return found;
	}

	/**
	 * Sets a new password chosen by the account's owner after proving the address (self-service reset), and signs
	 * the account out everywhere: its sessions end and its refresh tokens stop working.
	 */
	public Account resetPassword(String tenantId, String accountId, String password) {
		Account after = update(tenantId, accountId, new AccountChanges(null, password, null, null, null, null));
		this.events.publishEvent(new SignOutEverywhere(tenantId, accountId, "password reset"));
		return after;
	}

	/** Ends every session and revokes every refresh token of an account (an admin's "revoke sessions"). */
	public void signOutEverywhere(String tenantId, String accountId) {
		Account account = get(tenantId, accountId);
		this.transactions.executeWithoutResult(status -> {
			this.events.publishEvent(new SignOutEverywhere(tenantId, accountId, "revoked by an administrator"));
			this.audit.record(tenantId, "user.revokeSessions", "user", account.id(), null, null);
		});
	}

	/**
	 * The owner changes the password, proving the current one. Other sessions and refresh tokens end; the caller
	 * starts a new session for the browser that made the change.
	 */
	public Optional<String> changePassword(String tenantId, String accountId, String current, String replacement) {
		Account account = get(tenantId, accountId);
		if (account.passwordHash() != null && (current == null || !this.passwords.matches(current, account.passwordHash()))) {
			return Optional.of("The current password is not correct.");
		}
		FieldChecks checks = new FieldChecks();
		PasswordPolicy.check(checks, "password", replacement == null ? "" : replacement, account.email());
		if (checks.hasProblems()) {
			return Optional.of(checks.problems().get(0).message());
		}
		update(tenantId, accountId, new AccountChanges(null, replacement, null, null, null, null));
		this.events.publishEvent(new SignOutEverywhere(tenantId, accountId, "password changed by its owner"));
		return Optional.empty();
	}

	/** True when the password is the account's; false for a wrong one or an account without a password. */
	public boolean checkPassword(String tenantId, String accountId, String password) {
		Account account = get(tenantId, accountId);
		return password != null && this.passwords.matches(password, account.passwordHash());
	}

	/**
	 * An admin gives the account a temporary password, shown once to the admin; the next sign-in must replace it.
	 * Every session and refresh token of the account ends.
	 */
	public String setTemporaryPassword(String tenantId, String accountId) {
		Account account = get(tenantId, accountId);
		String temporary = "Tmp-" + dev.foyer.keys.Digests.randomToken().substring(0, 16);
		String hash = this.passwords.hash(temporary);
		this.transactions.executeWithoutResult(status -> {
			this.jdbc.sql("update account set password_hash = ?, password_change_required = true, updated_at = ? where tenant_id = ? and id = ?")
				.params(hash, Timestamp.from(now()), tenantId, accountId)
				.update();
			changed(tenantId, accountId);
			this.events.publishEvent(new SignOutEverywhere(tenantId, accountId, "temporary password set by an administrator"));
			this.audit.record(tenantId, "user.temporaryPassword", "user", account.id(), null, null);
		});
		return temporary;
	}

	/** True when the account's password is a temporary one an admin set. */
	public boolean passwordChangeRequired(String tenantId, String accountId) {
		return this.jdbc.sql("select password_change_required from account where tenant_id = ? and id = ?")
			.params(tenantId, accountId)
			.query(Boolean.class)
			.optional()
			.orElse(false);
	}

	/** Replaces a temporary password with the owner's choice (policy applies); null when accepted, else why not. */
	public String replaceTemporaryPassword(String tenantId, String accountId, String replacement) {
		Account account = get(tenantId, accountId);
		FieldChecks checks = new FieldChecks();
		PasswordPolicy.check(checks, "password", replacement == null ? "" : replacement, account.email());
		if (checks.hasProblems()) {
			return checks.problems().get(0).message();
		}
		String hash = this.passwords.hash(replacement);
		this.jdbc.sql("update account set password_hash = ?, password_change_required = false, updated_at = ? where tenant_id = ? and id = ?")
			.params(hash, Timestamp.from(now()), tenantId, accountId)
			.update();
		changed(tenantId, accountId);
		return null;
	}

	/**
	 * Stores a password that another system vouched for (just-in-time migration through a password submit
	 * extension) and records the sign-in; with {@code changeRequired} the person must choose a new one before going
	 * on, as after a temporary password.
	 */
	public void migratePassword(String tenantId, String accountId, String password, boolean changeRequired) {
		String hash = this.passwords.hash(password);
		Instant now = now();
		this.transactions.executeWithoutResult(status -> {
			this.jdbc.sql("""
					update account set password_hash = ?, password_change_required = ?, last_sign_in_at = ?, updated_at = ?
					where tenant_id = ? and id = ?""")
				.params(hash, changeRequired, Timestamp.from(now), Timestamp.from(now), tenantId, accountId)
				.update();
			changed(tenantId, accountId);
			this.audit.record(tenantId, "user.passwordMigrated", "user", accountId, null,
					Map.of("passwordChangeRequired", changeRequired));
		});
	}

	/** Records a sign-in that proved the account by other means than its password (a code by mail). */
	public void recordSignIn(String tenantId, String accountId) {
		this.jdbc.sql("update account set last_sign_in_at = ? where tenant_id = ? and id = ?")
			.params(Timestamp.from(now()), tenantId, accountId)
			.update();
	}

	/** Creates an account through self-service sign-up: its email is verified by the code the person entered. */
	public Account signUp(String tenantId, String email, String password, Profile profile, Map<String, Object> attributes) {
		return create(tenantId, new NewAccount(email, password, "customer", true, true, profile, attributes));
	}

	/** Deletes the account and everything that hangs off it (memberships, role assignments, credentials). */
	public void delete(String tenantId, String id) {
		Account before = get(tenantId, id);
		this.transactions.executeWithoutResult(status -> {
			this.roles.revokeAll(tenantId, id);
			this.jdbc.sql("delete from app_role_assignment where tenant_id = ? and principal_id = ?").params(tenantId, id).update();
			this.events.publishEvent(new SignOutEverywhere(tenantId, id, "account deleted"));
			this.jdbc.sql("delete from account where tenant_id = ? and id = ?").params(tenantId, id).update();
			changed(tenantId, id);
			this.audit.record(tenantId, "user.delete", "user", id, before, null);
		});
		// After the commit, outside its transaction: forgetting first writes the log's queue, which must not roll back.
		this.signIns.forgetAccount(tenantId, id);
	}

	private boolean emailTaken(String tenantId, String normalisedEmail, String exceptId) {
		return this.jdbc.sql("select id from account where tenant_id = ? and email_normalized = ?")
			.params(tenantId, normalisedEmail)
			.query(String.class)
			.optional()
			.filter(found -> !found.equals(exceptId))
			.isPresent();
	}

	static Profile checkProfile(FieldChecks checks, Profile given, Account before) {
		Profile p = given == null ? new Profile(null, null, null, null, null, null, null, null, null, null) : given;
		return new Profile(
				field(checks, "displayName", p.displayName(), 256, before == null ? null : before.displayName()),
				field(checks, "givenName", p.givenName(), 128, before == null ? null : before.givenName()),
				field(checks, "surname", p.surname(), 128, before == null ? null : before.surname()),
				field(checks, "streetAddress", p.streetAddress(), 256, before == null ? null : before.streetAddress()),
				field(checks, "city", p.city(), 128, before == null ? null : before.city()),
				field(checks, "state", p.state(), 128, before == null ? null : before.state()),
				field(checks, "postalCode", p.postalCode(), 40, before == null ? null : before.postalCode()),
				field(checks, "country", p.country(), 128, before == null ? null : before.country()),
				field(checks, "jobTitle", p.jobTitle(), 128, before == null ? null : before.jobTitle()),
				field(checks, "companyName", p.companyName(), 256, before == null ? null : before.companyName()));
	}

	// Absent keeps the old value; an empty string clears it.
	private static String field(FieldChecks checks, String name, String value, int max, String old) {
		if (value == null) {
			return old;
		}
		return value.isBlank() ? null : checks.text(name, value, max, false);
	}

	/** A new or changed account's values, by the parameter names of {@link #INSERT} and the update. */
	static Map<String, Object> columns(Account a) {
		Object[] row = newRow(a);
		Map<String, Object> columns = new HashMap<>();
		for (int i = 0; i < row.length; i++) {
			columns.put(NEW_ROW.get(i).getValue(), row[i] instanceof Instant time ? Timestamp.from(time) : row[i]);
		}
		return columns;
	}

	static String escapeLike(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

	static Account map(ResultSet rs, int row) throws SQLException {
		Timestamp lastSignIn = rs.getTimestamp("last_sign_in_at");
		return new Account(rs.getString("id"), rs.getString("tenant_id"),
				Account.AccountType.valueOf(rs.getString("account_type")), rs.getString("email"),
				rs.getString("display_name"), rs.getString("given_name"), rs.getString("surname"),
				rs.getString("street_address"), rs.getString("city"), rs.getString("state"), rs.getString("postal_code"),
				rs.getString("country"), rs.getString("job_title"), rs.getString("company_name"),
				rs.getString("password_hash"), rs.getBoolean("account_enabled"), rs.getBoolean("email_verified"),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
				lastSignIn == null ? null : lastSignIn.toInstant());
	}

	static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

}

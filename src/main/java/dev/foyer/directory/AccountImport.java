package dev.foyer.directory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.foyer.attribute.CustomAttribute;
import dev.foyer.attribute.CustomAttributes;
import dev.foyer.audit.AuditLog;
import dev.foyer.bulk.TableCopy;
import dev.foyer.web.ApiException;
import dev.foyer.web.ApiExceptionHandler;
import dev.foyer.web.FieldChecks;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bulk import of accounts from JSON lines ({@link AccountLine}), streamed: the body is read one line at a time and
 * never held whole. Every line is checked as {@link Accounts#create} checks an account (the same email, profile and
 * custom attribute checks) and its password hash as {@link ForeignPasswordHashes} takes it; a bad line is reported
 * and writes nothing. Good lines go in batches of {@value #BATCH}, a transaction each, with their custom attribute
 * values: on PostgreSQL by COPY while every address of a batch is new, else by a multi-row insert that skips the
 * addresses that have an account already (so a rerun of an interrupted import resumes). The import is audited once,
 * with its counts.
 */
@Service
public class AccountImport {

	public static final int BATCH = 1000;

	/** A longer line is refused without being held: 100 custom attributes of 250 characters fit easily. */
	public static final int MAX_LINE_BYTES = 64 * 1024;

	/** The report lists this many rejections at most, so that a wrong file cannot fill the server's memory. */
	public static final int MAX_LISTED_REJECTIONS = 10_000;

	private final JdbcClient jdbc;

	private final NamedParameterJdbcTemplate batches;

	private final TransactionTemplate transactions;

	private final CustomAttributes customAttributes;

	private final AuditLog audit;

	private final ObjectReader lines;

	public AccountImport(JdbcClient jdbc, NamedParameterJdbcTemplate batches, TransactionTemplate transactions,
			CustomAttributes customAttributes, AuditLog audit, JsonMapper json) {
		this.jdbc = jdbc;
		this.batches = batches;
		this.transactions = transactions;
		this.customAttributes = customAttributes;
		this.audit = audit;
		// The admin API's own strict mapper (unknown fields and type coercions refused), and nothing after the object.
		this.lines = json.readerFor(AccountLine.class).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
	}

	/**
	 * Imports the JSON lines of {@code body} into the tenant. {@code startLine} is the number of the body's first line
	 * in the caller's file (default 1), so that a client resuming from a checkpoint hears about its file's lines.
	 * Batches committed before a failure stay; importing the same lines again skips them.
	 */
	public ImportReport run(String tenantId, InputStream body, Integer startLine) throws IOException {
		FieldChecks checks = new FieldChecks();
		int first = checks.range("startLine", startLine, 1, Integer.MAX_VALUE, 1);
		checks.throwIfAny();
		Run run = new Run(tenantId, first, this.customAttributes.declarations(tenantId));
		boolean complete = false;
		try {
			LineReader reader = new LineReader(body, MAX_LINE_BYTES);
			long number = first;
			for (LineReader.Line line = reader.next(); line != null; line = reader.next(), number++) {
				run.accept(number, line);
			}
			run.flush();
			complete = true;
		}
		finally {
			record(tenantId, run, complete);
		}
		refreshStatistics(tenantId, run.report().imported());
		return run.report();
	}

	private volatile Boolean postgres;

	/** True on PostgreSQL: a batch of new accounts goes in by COPY, and statistics are refreshed column by column. */
	private boolean onPostgres() {
		Boolean postgres = this.postgres;
		if (postgres == null) {
			postgres = this.batches.getJdbcTemplate().execute((ConnectionCallback<Boolean>) TableCopy::supported);
			this.postgres = postgres;
		}
		return postgres;
	}

	/** Rows this node imported into each tenant, and how many of them there were at its last ANALYZE. */
	private final Map<String, long[]> loaded = new ConcurrentHashMap<>();

	/**
	 * Has the database refresh its statistics of the loaded tables each time this node's imports into the tenant have
	 * doubled (from 1,000 accounts on). A bulk load leaves them stale until autovacuum catches up, and meanwhile
	 * PostgreSQL plans every query of the tenant as if it had a handful of accounts: an export or a search then read the
	 * whole tenant for each page (measured: 17 s instead of 3.5 to export 200,000). Doubling keeps the cost to a few
	 * ANALYZEs per import, whatever its size, and the estimates within a factor of two.
	 */
	private void refreshStatistics(String tenantId, long imported) {
		if (imported == 0) {
			return;
		}
		long[] counts = this.loaded.computeIfAbsent(tenantId, id -> new long[2]);
		synchronized (counts) {
			counts[0] += imported;
			if (counts[0] < 1_000 || counts[0] < 2 * counts[1]) {
				return;
			}
			counts[1] = counts[0];
		}
		// On PostgreSQL only the columns that the tenant's queries filter and sort on: statistics of every column cost
		// several times as much. H2 analyzes whole tables, one statement each, with its TABLE word.
		String statement = onPostgres()
				? "analyze account (tenant_id, email_normalized, display_name_lower, email_name_shared), account_attribute (tenant_id, account_id, attribute_id, attr_value)"
				: "analyze table account; analyze table account_attribute";
		for (String one : statement.split("; ")) {
			this.jdbc.sql(one).update();
		}
	}

	private void record(String tenantId, Run run, boolean complete) {
		ImportReport report = run.report();
		Map<String, Object> counts = new LinkedHashMap<>();
		counts.put("firstLine", report.firstLine());
		counts.put("lastLine", report.lastLine());
		counts.put("read", report.read());
		counts.put("imported", report.imported());
		counts.put("skipped", report.skipped());
		counts.put("rejected", report.rejected());
		counts.put("complete", complete);
		this.transactions.executeWithoutResult(
				status -> this.audit.record(tenantId, "user.import", "tenant", tenantId, null, counts));
	}

	/** A checked line waiting for its batch. */
	private record Pending(long line, String emailNormalized, Account account, Map<CustomAttribute, List<String>> values) {
	}

	/** The state of one import request. */
	private final class Run {

		private final String tenantId;

		private final long firstLine;

		private final Map<String, CustomAttribute> declared;

		private final List<Pending> pending = new ArrayList<>();

		/** The batch's addresses, so that a repeat within it is caught before the database sees both. */
		private final Map<String, Long> pendingLines = new HashMap<>();

		/** Every address this request imported, with its line, to tell a repeat in the file from an old account. */
		private final EmailLines imported = new EmailLines();

		private final List<ImportReport.Rejection> rejections = new ArrayList<>();

		private long lastLine;

		private long read;

		private long importedCount;

		private long skipped;

		private long rejected;

		/** Whether the next batch goes in by COPY (see {@link #write}). */
		private boolean copying = onPostgres();

		Run(String tenantId, long firstLine, Map<String, CustomAttribute> declared) {
			this.tenantId = tenantId;
			this.firstLine = firstLine;
			this.lastLine = firstLine - 1;
			this.declared = declared;
		}

		void accept(long number, LineReader.Line line) {
			this.lastLine = number;
			if (line.isBlank()) {
				return;
			}
			this.read++;
			if (line.tooLong()) {
				reject(number, null, List.of(new ImportReport.Problem(null, "is longer than " + MAX_LINE_BYTES + " bytes")));
				return;
			}
			AccountLine given;
			try {
				given = AccountImport.this.lines.readValue(line.bytes(), 0, line.length());
			}
			catch (JacksonException ex) {
				ApiException.FieldProblem problem = ApiExceptionHandler.fieldProblem(ex);
				reject(number, null, List.of(new ImportReport.Problem(problem.field(),
						problem.field() == null ? "is not a JSON object" : problem.message())));
				return;
			}
			if (given == null) {
				reject(number, null, List.of(new ImportReport.Problem(null, "is not a JSON object")));
				return;
			}
			FieldChecks checks = new FieldChecks();
			String email = checks.email("email", given.email(), true);
			String type = checks.oneOf("accountType", given.accountType(), List.of("customer", "admin"), false);
			Accounts.Profile profile = Accounts.checkProfile(checks, given.profile(), null);
			Map<CustomAttribute, List<String>> values = AccountImport.this.customAttributes.check(checks, this.declared,
					given.attributes());
			String hash = ForeignPasswordHashes.stored(checks, "passwordHash", given.passwordHash());
			if (checks.hasProblems()) {
				reject(number, given.email(), checks.problems().stream()
					.map(p -> new ImportReport.Problem(p.field(), p.message()))
					.toList());
				return;
			}
			String normalised = FieldChecks.normaliseEmail(email);
			Long earlier = this.pendingLines.get(normalised);
			if (earlier != null) {
				reject(number, given.email(), List.of(repeated(earlier)));
				return;
			}
			Instant now = Accounts.now();
			Account account = new Account(Accounts.newId(), this.tenantId,
					type == null ? Account.AccountType.customer : Account.AccountType.valueOf(type), email,
					profile.displayName(), profile.givenName(), profile.surname(), profile.streetAddress(), profile.city(),
					profile.state(), profile.postalCode(), profile.country(), profile.jobTitle(), profile.companyName(), hash,
					given.accountEnabled() == null || given.accountEnabled(), Boolean.TRUE.equals(given.emailVerified()),
					now, now, null);
			this.pending.add(new Pending(number, normalised, account, values));
			this.pendingLines.put(normalised, number);
			if (this.pending.size() >= BATCH) {
				flush();
			}
		}

		void flush() {
			if (this.pending.isEmpty()) {
				return;
			}
			// A repeat of an address this request imported: the digests say which lines may be one, and the database
			// decides (two addresses sharing a digest would otherwise pass for a repeat).
			List<String> maybeRepeated = this.pending.stream()
				.map(Pending::emailNormalized)
				.filter(email -> this.imported.lineOf(email) > 0)
				.toList();
			Set<String> repeated = maybeRepeated.isEmpty() ? Set.of()
					: new HashSet<>(AccountImport.this.batches.queryForList(
							"select email_normalized from account where tenant_id = :tenant and email_normalized in (:emails)",
							Map.of("tenant", this.tenantId, "emails", maybeRepeated), String.class));
			List<Pending> candidates = this.pending.stream().filter(p -> !repeated.contains(p.emailNormalized())).toList();
			List<Pending> written = write(candidates);
			// Counted only once the batch is committed.
			written.forEach(p -> this.imported.put(p.emailNormalized(), p.line()));
			this.importedCount += written.size();
			this.skipped += candidates.size() - written.size();
			this.pending.stream()
				.filter(p -> repeated.contains(p.emailNormalized()))
				.forEach(p -> reject(p.line(), p.account().email(),
						List.of(repeated(this.imported.lineOf(p.emailNormalized())))));
			this.pending.clear();
			this.pendingLines.clear();
		}

		/**
		 * Writes the batch in a transaction of its own and answers the lines it wrote. On PostgreSQL a COPY takes it
		 * whole, for a fraction of the database's work: while every address is new, as in a first import. When one has
		 * an account already (a rerun after an interruption, or another writer), the COPY fails and writes nothing;
		 * the batch then goes through the multi-row insert, which skips those addresses, and so do the next batches
		 * until one has no address to skip.
		 */
		private List<Pending> write(List<Pending> candidates) {
			if (this.copying) {
				try {
					return AccountImport.this.transactions.execute(status -> copy(candidates));
				}
				catch (DuplicateKeyException taken) {
					this.copying = false;
				}
			}
			List<Pending> written = AccountImport.this.transactions.execute(status -> insert(candidates));
			this.copying = AccountImport.this.onPostgres() && written.size() == candidates.size();
			return written;
		}

		private List<Pending> copy(List<Pending> candidates) {
			Accounts.copyNew(AccountImport.this.batches.getJdbcTemplate(), candidates.stream().map(Pending::account).toList());
			writeValues(candidates);
			return candidates;
		}

		/**
		 * Inserts the accounts whose address has none yet, in the caller's transaction, and answers those it inserted.
		 * The unique constraint on (tenant, address) decides, through {@code on conflict do nothing}, rather than a
		 * look-up first: a look-up of a thousand addresses is planned from statistics that a bulk load makes stale
		 * (PostgreSQL then scanned the whole tenant per batch), and the constraint also settles a race with another
		 * writer. Only a batch with skipped lines asks which of its new ids are there.
		 */
		private List<Pending> insert(List<Pending> candidates) {
			int inserted = 0;
			for (int from = 0; from < candidates.size(); from += Accounts.MAX_ROWS_PER_INSERT) {
				inserted += Accounts.insertNew(AccountImport.this.batches.getJdbcTemplate(),
						candidates.subList(from, Math.min(candidates.size(), from + Accounts.MAX_ROWS_PER_INSERT))
							.stream()
							.map(Pending::account)
							.toList());
			}
			List<Pending> written = candidates;
			if (inserted < candidates.size()) {
				// By primary key alone: the ids are this batch's fresh UUIDs, and naming the tenant too would let the
				// planner pick the (tenant, address) index and filter every account of the tenant.
				Set<String> ids = inserted == 0 ? Set.of()
						: new HashSet<>(AccountImport.this.batches.queryForList("select id from account where id in (:ids)",
								Map.of("ids", candidates.stream().map(p -> p.account().id()).toList()), String.class));
				written = candidates.stream().filter(p -> ids.contains(p.account().id())).toList();
			}
			writeValues(written);
			return written;
		}

		private void writeValues(List<Pending> written) {
			Map<String, Map<CustomAttribute, List<String>>> values = new HashMap<>();
			written.forEach(p -> values.put(p.account().id(), p.values()));
			AccountImport.this.customAttributes.writeNew(this.tenantId, values);
		}

		private ImportReport.Problem repeated(long earlier) {
			return new ImportReport.Problem("email", "repeats the address of line " + earlier);
		}

		private void reject(long number, String email, List<ImportReport.Problem> problems) {
			this.rejected++;
			if (this.rejections.size() < MAX_LISTED_REJECTIONS) {
				String shown = email == null || email.length() <= 320 ? email : email.substring(0, 320);
				this.rejections.add(new ImportReport.Rejection(number, shown, problems));
			}
		}

		ImportReport report() {
			List<ImportReport.Rejection> listed = this.rejections.stream()
				.sorted(java.util.Comparator.comparingLong(ImportReport.Rejection::line))
				.toList();
			return new ImportReport(this.firstLine, this.lastLine, this.read, this.importedCount, this.skipped,
					this.rejected, listed, this.rejected - listed.size());
		}

	}

}

package dev.foyer.directory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.foyer.attribute.CustomAttributes;
import dev.foyer.audit.AuditLog;
import dev.foyer.web.FieldChecks;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Writes a tenant's accounts as JSON lines in the import's format ({@link AccountLine}), password hashes in their
 * stored form, so that an export imports into another tenant or another Foyer. Pages of {@value #PAGE} accounts are
 * read by keyset (the address after the last one written), so a million accounts stream in constant memory and
 * without a long transaction. The export is audited once, with its count.
 */
@Service
public class AccountExport {

	static final int PAGE = 1000;

	private final JdbcClient jdbc;

	private final CustomAttributes customAttributes;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	public AccountExport(JdbcClient jdbc, CustomAttributes customAttributes, AuditLog audit,
			TransactionTemplate transactions, JsonMapper json) {
		this.jdbc = jdbc;
		this.customAttributes = customAttributes;
		this.audit = audit;
		this.transactions = transactions;
		this.json = json;
	}

	/**
	 * Writes every account of the tenant to {@code out}, in address order; the accounts in {@code hashesWithheld} are
	 * written without their password hash. Returns the number written.
	 */
	public long write(String tenantId, Set<String> hashesWithheld, OutputStream out) throws IOException {
		long written = 0;
		long withheld = 0;
		boolean complete = false;
		OutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
		try {
			String after = "";
			while (true) {
				List<Account> page = this.jdbc.sql("select * from account where tenant_id = ? and email_normalized > ?"
						+ " order by tenant_id, email_normalized limit " + PAGE)
					.params(tenantId, after)
					.query(Accounts::map)
					.list();
				if (page.isEmpty()) {
					break;
				}
				Map<String, Map<String, Object>> values = this.customAttributes.valuesOf(tenantId,
						page.stream().map(Account::id).toList());
				for (Account account : page) {
					boolean withhold = hashesWithheld.contains(account.id());
					withheld += withhold && account.passwordHash() != null ? 1 : 0;
					buffered.write(this.json.writeValueAsBytes(line(account, values.get(account.id()), withhold)));
					buffered.write('\n');
				}
				written += page.size();
				after = FieldChecks.normaliseEmail(page.get(page.size() - 1).email());
			}
			buffered.flush();
			complete = true;
			return written;
		}
		finally {
			Map<String, Object> counts = new LinkedHashMap<>();
			counts.put("accounts", written);
			counts.put("passwordHashesWithheld", withheld);
			counts.put("complete", complete);
			this.transactions.executeWithoutResult(
					status -> this.audit.record(tenantId, "user.export", "tenant", tenantId, null, counts));
		}
	}

	/** Custom attributes in name order, so that two exports of the same accounts are the same text. */
	private static AccountLine line(Account a, Map<String, Object> values, boolean withholdHash) {
		String hash = withholdHash ? null : a.passwordHash();
		return new AccountLine(a.email(), a.accountType().name(), a.accountEnabled(), a.emailVerified(), a.displayName(),
				a.givenName(), a.surname(), a.streetAddress(), a.city(), a.state(), a.postalCode(), a.country(),
				a.jobTitle(), a.companyName(), values == null || values.isEmpty() ? null : new TreeMap<>(values),
				hash == null ? null : JsonNodeFactory.instance.stringNode(hash));
	}

}

package dev.foyer.directory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.foyer.web.FieldChecks;

/**
 * The admin search's statement: one page of the accounts whose email or display name starts with a text, in the order
 * of the text that matched (the email where it starts with the text, else the display name; ties by id), keyset-paged.
 * Ordered so, each way a match can be found is one index range read in its own order and left after the page: the
 * email branch on {@code (tenant_id, email_normalized)}, and a display-name branch per value of
 * {@code email_name_shared} (V15) on {@code (tenant_id, email_name_shared, display_name_lower, id)}. A page so costs
 * the same with a hundred matches as with a million; ordered by email alone, the display-name matches had to be read
 * and sorted whole (140 ms for a one-letter prefix at a million accounts).
 * <p>
 * An account whose email and display name both start with the text is listed once, at its email. They both do
 * exactly when they share at least as many leading characters as the text has, which {@code email_name_shared}
 * records up to {@value #SHARED_CAP}: the display-name branches read only the values below the text's length. A text
 * longer than that also reads the display names sharing {@value #SHARED_CAP} or more characters with their email, and
 * skips those whose email matches too.
 */
final class AccountSearch {

	/** The most leading characters {@code email_name_shared} counts (its migration, V15, caps it so). */
	static final int SHARED_CAP = 8;

	private final JdbcClient jdbc;

	AccountSearch(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Where a page ends: the key it is ordered by (the email where it matched, else the display name, both as stored
	 * for search) and the account's id, which orders accounts with the same key.
	 */
	record Cursor(String key, String id) {

		String encode() {
			return Base64.getUrlEncoder().withoutPadding()
				.encodeToString((this.id + "\n" + this.key).getBytes(StandardCharsets.UTF_8));
		}

		/** The cursor, or null with a problem reported when it is not one this API returned. */
		static Cursor decode(FieldChecks checks, String cursor) {
			try {
				String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
				int split = text.indexOf('\n');
				if (split > 0) {
					return new Cursor(text.substring(split + 1), text.substring(0, split));
				}
			}
			catch (IllegalArgumentException ex) {
				// reported below
			}
			checks.problem("cursor", "is not a cursor this API returned");
			return null;
		}

	}

	/** A page's statement, with named parameters, and their values. */
	record Statement(String sql, Map<String, Object> params) {
	}

	/**
	 * Up to {@code limit} accounts after the cursor: all of the tenant's by email without a text; else those whose email
	 * (and, unless {@code emailOnly}, those whose display name) starts with the text. Answers the page with, for the
	 * last one, where the page ends.
	 */
	Page<Account> page(String tenantId, String text, boolean emailOnly, Cursor after, int limit) {
		Statement statement = statement(tenantId, text, emailOnly, after, limit + 1);
		List<Account> rows = new ArrayList<>();
		List<Cursor> ends = new ArrayList<>();
		this.jdbc.sql(statement.sql()).params(statement.params()).query((rs, n) -> {
			Account account = Accounts.map(rs, n);
			rows.add(account);
			ends.add(new Cursor(rs.getString("search_key"), account.id()));
			return null;
		}).list();
		if (rows.size() <= limit) {
			return new Page<>(List.copyOf(rows), null);
		}
		return new Page<>(List.copyOf(rows.subList(0, limit)), ends.get(limit - 1).encode());
	}

	/** The statement that reads up to {@code rows} accounts after the cursor, with their keys as {@code search_key}. */
	static Statement statement(String tenantId, String text, boolean emailOnly, Cursor after, int rows) {
		Map<String, Object> params = new HashMap<>();
		params.put("tenant", tenantId);
		params.put("limit", rows);
		if (after != null) {
			params.put("afterKey", after.key());
			params.put("afterId", after.id());
		}
		if (text == null) {
			// "order by tenant_id, email_normalized", not just the email: only this spelling lets H2 read the index in
			// order and stop after the page.
			return new Statement("select a.*, a.email_normalized as search_key from account a where tenant_id = :tenant"
					+ (after == null ? "" : " and (email_normalized, id) > (:afterKey, :afterId)")
					+ " order by tenant_id, email_normalized limit :limit", params);
		}
		String prefix = text.toLowerCase(Locale.ROOT);
		params.put("like", Accounts.escapeLike(prefix) + "%");
		params.put("low", prefix);
		params.put("high", prefix.substring(0, prefix.length() - 1) + (char) (prefix.charAt(prefix.length() - 1) + 1));
		List<String> branches = new ArrayList<>();
		branches.add(branch("email_normalized", "", "tenant_id, email_normalized", after));
		if (!emailOnly) {
			String nameOrder = "tenant_id, email_name_shared, display_name_lower, id";
			for (int shared = 0; shared < Math.min(prefix.length(), SHARED_CAP); shared++) {
				branches.add(branch("display_name_lower", " and email_name_shared = " + shared, nameOrder, after));
			}
			if (prefix.length() > SHARED_CAP) {
				branches.add(branch("display_name_lower", " and email_name_shared = " + SHARED_CAP + " and not ("
						+ matches("email_normalized") + ")", nameOrder, after));
			}
		}
		// Each branch reads whole rows: PostgreSQL merges the branches in order and pulls from each only what the page
		// takes (one row more at most), so a row is read once. Read by id after the merge instead, the page cost 51 more
		// look-ups in the primary key, on pages spread over the whole table at a million accounts.
		return new Statement("select * from (" + String.join(" union all ", branches)
				+ ") matched order by search_key, id limit :limit", params);
	}

	/**
	 * One way to match, read in its index's order ({@code order}) from the cursor on and left after a page: the
	 * prefix as a range (which a prepared statement's generic plan can use too) and as a LIKE, which keeps the range
	 * exact whatever the text's last character.
	 */
	private static String branch(String column, String more, String order, Cursor after) {
		return "(select account.*, " + column + " as search_key from account where tenant_id = :tenant" + more + " and "
				+ matches(column) + (after == null ? "" : " and (" + column + ", id) > (:afterKey, :afterId)")
				+ " order by " + order + " limit :limit)";
	}

	private static String matches(String column) {
		return column + " >= :low and " + column + " < :high and " + column + " like :like escape '\\'";
	}

}

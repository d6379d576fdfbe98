package dev.foyer.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.TestFoyer;

@ContextConfiguration(initializers = TestFoyer.OnPostgres.class)
class AccountImportOnPostgresTest extends AccountImportScenarios {

	/**
	 * On PostgreSQL a batch of new addresses goes in by COPY. A batch with an address that has an account already goes
	 * in by the multi-row insert that skips it, and so do the batches after it until one has nothing to skip. A
	 * statement trigger records which statement wrote each batch.
	 */
	@Test
	void newAddressesGoInByCopyAndKnownOnesByTheInsertThatSkipsThem() {
		this.jdbc.sql("create table import_statement (n serial, sql text)").update();
		this.jdbc.sql("create function record_import_statement() returns trigger language plpgsql as"
				+ " 'begin insert into import_statement (sql) values (current_query()); return null; end'").update();
		this.jdbc.sql("create trigger record_import_statement after insert on account for each statement"
				+ " execute function record_import_statement()").update();
		try {
			assertThat(importLines(this.tenant, lines(1, 1_500)).get("imported").asLong()).isEqualTo(1_500);
			assertThat(statements()).containsExactly("copy", "copy");
			this.jdbc.sql("delete from import_statement").update();

			// Batches of 1,000: the first two hold addresses that are there, the third only new ones, the fourth too.
			var rerun = importLines(this.tenant, lines(1, 4_000));
			assertThat(rerun.get("skipped").asLong()).isEqualTo(1_500);
			assertThat(rerun.get("imported").asLong()).isEqualTo(2_500);
			assertThat(statements()).containsExactly("insert", "insert", "insert", "copy");
			assertThat(count(this.tenant)).isEqualTo(4_000);
			assertThat(this.jdbc.sql("select count(*) from account_attribute where tenant_id = ?").param(this.tenant)
				.query(Integer.class).single()).isEqualTo(4_000);
		}
		finally {
			this.jdbc.sql("drop trigger record_import_statement on account").update();
			this.jdbc.sql("drop function record_import_statement()").update();
			this.jdbc.sql("drop table import_statement").update();
		}
	}

	/** Text that COPY's format escapes arrives as it was sent. */
	@Test
	void copiedTextKeepsItsBackslashesAndAllOfUnicode() {
		String name = "Back\\slash \\N \\t 名前 𝄞 \"quoted\"";
		assertThat(importLines(this.tenant, line("email", "copy@example.com", "displayName", name, "attributes",
				Map.of("loyaltyTier", "gold", "interests", List.of("ski", "surf")))).get("imported").asLong()).isEqualTo(1);
		assertThat(this.jdbc.sql("select display_name, display_name_lower from account where tenant_id = ?")
			.param(this.tenant).query((rs, n) -> List.of(rs.getString(1), rs.getString(2))).single())
			.containsExactly(name, name.toLowerCase(java.util.Locale.ROOT));
		assertThat(this.jdbc.sql("select attr_value from account_attribute where tenant_id = ? order by attr_value")
			.param(this.tenant).query(String.class).list()).containsExactly("gold", "ski", "surf");
	}

	private static String lines(int from, int to) {
		return IntStream.rangeClosed(from, to)
			.mapToObj(i -> line("email", "copy" + i + "@example.com", "attributes", Map.of("newsletter", i % 2 == 0)))
			.collect(Collectors.joining("\n"));
	}

	private List<String> statements() {
		return this.jdbc.sql("select sql from import_statement order by n").query(String.class).list().stream()
			.map(sql -> sql.stripLeading().split(" ")[0].toLowerCase(java.util.Locale.ROOT))
			.toList();
	}

}

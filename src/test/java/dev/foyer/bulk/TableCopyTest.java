package dev.foyer.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.foyer.support.PostgresServer;

/** COPY on a real PostgreSQL: every value comes back as it went in, and a failed COPY leaves a usable connection. */
class TableCopyTest {

	private static final List<String> COLUMNS = List.of("id", "label", "flag", "at", "amount");

	@Test
	void rowsArriveAsTheyWereSentAndAFailedCopyWritesNothing() throws Exception {
		try (Connection connection = DriverManager.getConnection(PostgresServer.newDatabaseUrl(), "postgres", "")) {
			assertThat(TableCopy.supported(connection)).isTrue();
			try (Statement statement = connection.createStatement()) {
				statement.execute("create table copied (id text primary key, label text, flag boolean,"
						+ " at timestamp with time zone, amount integer)");
			}
			connection.setAutoCommit(false);
			Instant at = Instant.parse("2026-11-26T16:00:00.123Z");
			List<String> labels = List.of("tab\there", "new\nline", "carriage\rreturn", "back\\slash", "\\N", "",
					"名前 ☃ 𝄞", "x".repeat(70_000), "é".repeat(40_000), "𝄞".repeat(20_000));
			try (TableCopy copy = TableCopy.into(connection, "copied", COLUMNS)) {
				for (int i = 0; i < labels.size(); i++) {
					copy.row("r" + i, labels.get(i), i % 2 == 0, at, i);
				}
				copy.row("empty", null, null, null, null);
				assertThat(copy.finish()).isEqualTo(labels.size() + 1);
			}
			connection.commit();
			List<String> stored = new ArrayList<>();
			try (Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("select label, flag, at, amount from copied where id like 'r%' order by amount")) {
				while (rs.next()) {
					stored.add(rs.getString(1));
					assertThat(rs.getBoolean(2)).isEqualTo(rs.getInt(4) % 2 == 0);
					assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(at);
				}
			}
			assertThat(stored).containsExactlyElementsOf(labels);
			try (Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("select label, flag, at, amount from copied where id = 'empty'")) {
				rs.next();
				for (int column = 1; column <= 4; column++) {
					assertThat(rs.getObject(column)).isNull();
				}
			}
			connection.commit();

			// A row that breaks the primary key fails the whole COPY; after a rollback the connection copies again.
			assertThatExceptionOfType(SQLException.class).isThrownBy(() -> {
				try (TableCopy copy = TableCopy.into(connection, "copied", COLUMNS)) {
					copy.row("new", "kept?", true, at, 1);
					copy.row("r0", "again", true, at, 1);
					copy.finish();
				}
			}).satisfies(ex -> assertThat(ex.getSQLState()).isEqualTo("23505"));
			connection.rollback();
			try (TableCopy copy = TableCopy.into(connection, "copied", COLUMNS)) {
				copy.row("after", "ok", true, at, 1);
				copy.finish();
			}
			connection.commit();
			try (Statement statement = connection.createStatement();
					ResultSet rs = statement.executeQuery("select string_agg(id, ',' order by id) from copied where id in ('new', 'after')")) {
				rs.next();
				assertThat(rs.getString(1)).isEqualTo("after");
			}
		}
	}

	@Test
	void otherDatabasesHaveNoCopy() throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:h2:mem:copy")) {
			assertThat(TableCopy.supported(connection)).isFalse();
		}
	}

}

package dev.foyer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.ContextConfiguration;

import dev.foyer.support.FoyerIntegrationTest;
import dev.foyer.support.TestFoyer;

/** {@code ./foyer import} against a running Foyer: chunks, checkpoint, resume, progress and the rejected-lines file. */
@ContextConfiguration(initializers = TestFoyer.OnH2.class)
class ImportCommandTest extends FoyerIntegrationTest {

	@TempDir
	Path directory;

	private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

	private ImportCommand.Options options(String tenant, Path file, String... more) {
		String[] args = new String[6 + more.length];
		System.arraycopy(new String[] { "--url", this.api.base(), "--tenant", tenant, "--file", file.toString() }, 0, args,
				0, 6);
		System.arraycopy(more, 0, args, 6, more.length);
		return ImportCommand.Options.parse(args,
				Map.of("FOYER_CLIENT_ID", TestFoyer.CLIENT_ID, "FOYER_CLIENT_SECRET", TestFoyer.CLIENT_SECRET));
	}

	private int run(ImportCommand.Options options, ImportCommand.Listener listener) {
		return new ImportCommand(options, new PrintStream(this.stderr, true, StandardCharsets.UTF_8), listener, false).run();
	}

	private String stderr() {
		String text = this.stderr.toString(StandardCharsets.UTF_8);
		this.stderr.reset();
		return text;
	}

	private int count(String tenant) {
		return this.jdbc.sql("select count(*) from account where tenant_id = ?").param(tenant).query(Integer.class).single();
	}

	private Path file(int lines) throws Exception {
		StringBuilder text = new StringBuilder();
		for (int i = 1; i <= lines; i++) {
			if (i == 7) {
				text.append("{\"email\": \"seven-at-example.com\"}");
			}
			else if (i == 18) {
				text.append("{\"email\": \"eighteen@example.com\", \"password\": \"plain text\"}");
			}
			else {
				text.append("{\"email\": \"user").append(i).append("@example.com\", \"givenName\": \"User ").append(i).append("\"}");
			}
			if (i < lines) {
				text.append('\n'); // the last line has no newline
			}
		}
		Path file = this.directory.resolve("users.jsonl");
		Files.writeString(file, text);
		return file;
	}

	@Test
	void anInterruptedImportResumesFromItsCheckpoint() throws Exception {
		String tenant = this.api.newTenant("cli");
		Path file = file(25);
		// One chunk at a time, so that the chunk after the interruption has surely not been sent.
		ImportCommand.Options options = options(tenant, file, "--chunk", "10", "--parallel", "1");
		assertThatThrownBy(() -> run(options, totals -> {
			throw new IllegalStateException("power cut after line " + totals.lastLine());
		})).hasMessage("power cut after line 10");
		assertThat(Files.readString(options.checkpoint())).contains("line=10").contains("imported=9").contains("rejected=1");
		assertThat(Files.readAllLines(options.rejected())).singleElement().asString().startsWith("{\"line\":7,");
		assertThat(count(tenant)).isEqualTo(9);
		stderr();

		assertThat(run(options, totals -> {
		})).isZero();
		String output = stderr();
		assertThat(output).contains("resuming after line 10")
			.contains("25 of 25 lines (100.0%)")
			.contains("lines/s, ETA 0:00")
			.contains("done, 25 lines: 23 imported, 0 skipped (already there), 2 rejected (reasons in " + options.rejected());
		assertThat(count(tenant)).isEqualTo(23);
		assertThat(Files.exists(options.checkpoint())).isFalse();
		List<String> rejected = Files.readAllLines(options.rejected());
		assertThat(rejected).hasSize(2);
		assertThat(rejected.get(0)).contains("\"line\":7").contains("must be a valid email address");
		assertThat(rejected.get(1)).contains("\"line\":18").contains("\"field\":\"password\"");

		// The whole file again, with no checkpoint: every account is there already.
		assertThat(run(options, totals -> {
		})).isZero();
		assertThat(stderr()).contains("done, 25 lines: 0 imported, 23 skipped (already there), 2 rejected");
		assertThat(count(tenant)).isEqualTo(23);
	}

	@Test
	void chunksOnTheirWayTogetherAreCheckpointedInFileOrder() throws Exception {
		String tenant = this.api.newTenant("cli-parallel");
		Path file = file(25);
		List<Long> checkpoints = new java.util.concurrent.CopyOnWriteArrayList<>();
		assertThat(run(options(tenant, file, "--chunk", "3", "--parallel", "4"), totals -> checkpoints.add(totals.lastLine())))
			.isZero();
		assertThat(checkpoints).containsExactly(3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 25L);
		assertThat(stderr()).contains("done, 25 lines: 23 imported, 0 skipped (already there), 2 rejected");
		assertThat(count(tenant)).isEqualTo(23);
	}

	@Test
	void refusesAnotherImportsCheckpointAndReportsRefusals() throws Exception {
		String tenant = this.api.newTenant("cli-other");
		Path file = file(3);
		ImportCommand.Options options = options(tenant, file);
		Files.writeString(options.checkpoint(), "file=" + file.toAbsolutePath() + "\nsize=1\ntenant=" + tenant + "\nline=2\n");
		assertThat(run(options, totals -> {
		})).isEqualTo(2);
		assertThat(stderr()).contains("is the checkpoint of another import").contains("--restart");
		assertThat(count(tenant)).isZero();
		assertThat(run(options(tenant, file, "--restart"), totals -> {
		})).isZero();
		assertThat(count(tenant)).isEqualTo(3);

		assertThat(run(options("no-such-tenant", file), totals -> {
		})).isEqualTo(1);
		assertThat(stderr()).contains("Foyer answered 404: Tenant not found").contains("Run the same command again");
	}

	@Test
	void theCommandLineNeedsATenantAFileAndCredentials() {
		assertThatThrownBy(() -> ImportCommand.Options.parse(new String[] { "--file", "x.jsonl" }, Map.of("FOYER_TOKEN", "t")))
			.hasMessageContaining("--tenant and --file are required");
		assertThatThrownBy(() -> ImportCommand.Options.parse(new String[] { "--tenant", "t", "--file", "x" }, Map.of()))
			.hasMessageContaining("FOYER_TOKEN");
		assertThatThrownBy(() -> ImportCommand.Options.parse(new String[] { "--tenant", "t", "--file", "x", "--chunk",
				"20000" }, Map.of("FOYER_TOKEN", "t"))).hasMessageContaining("--chunk needs a whole number from 1 to 10000");
		assertThatThrownBy(() -> ImportCommand.Options.parse(new String[] { "--tenant", "t", "--file", "x", "--parallel",
				"0" }, Map.of("FOYER_TOKEN", "t"))).hasMessageContaining("--parallel needs a whole number from 1 to 8");
		ImportCommand.Options defaults = ImportCommand.Options.parse(new String[] { "--tenant", "t", "--file", "/data/u.jsonl" },
				Map.of("FOYER_TOKEN", " abc "));
		assertThat(defaults.url()).isEqualTo("http://localhost:8080");
		assertThat(defaults.chunk()).isEqualTo(10_000);
		assertThat(defaults.parallel()).isEqualTo(3);
		assertThat(defaults.checkpoint()).isEqualTo(Path.of("/data/u.jsonl.checkpoint"));
		assertThat(defaults.rejected()).isEqualTo(Path.of("/data/u.jsonl.rejected.jsonl"));
		assertThat(defaults.credentials().token()).isEqualTo("abc");
	}

}

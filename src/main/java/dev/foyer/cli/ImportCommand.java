package dev.foyer.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import tools.jackson.databind.JsonNode;

/**
 * {@code ./foyer import}: streams a JSON lines file to a tenant's bulk import, in chunks of up to
 * {@value #MAX_CHUNK} lines, one request each, three on their way at once. After each chunk it records the last line
 * up to which Foyer acknowledged every chunk in a checkpoint file, so that the same command run again after an interruption resumes there (and lines sent twice would
 * only be skipped: Foyer skips addresses that already have an account). Progress (lines, rate, ETA) goes to stderr,
 * rejected lines with their reasons to a JSON lines file. The file is never read whole.
 * <p>
 * Exit status: 0 when every line was sent (rejected lines are in the report, not failures), 1 when the import stopped
 * (rerun to resume), 2 for a wrong command line or a checkpoint of another file.
 */
public final class ImportCommand {

	/** At most this many lines per request: Foyer lists up to 10,000 rejections per answer, so none is ever lost. */
	public static final int MAX_CHUNK = 10_000;

	static final int RETRIES = 4;

	static final String USAGE = """
			usage: ./foyer import --tenant T --file users.jsonl [--url URL] [--chunk N] [--parallel N] [--restart]
			                      [--checkpoint FILE] [--rejected FILE] [--auth-tenant A]
			  --tenant T         the tenant whose directory receives the accounts
			  --file F           JSON lines, one account each (docs/operations.md, "Migrating accounts")
			  --url URL          Foyer's base URL (default: FOYER_BASE_URL, else http://localhost:8080)
			  --chunk N          lines per request, 1 to 10000 (default 10000)
			  --parallel N       requests on their way at once, 1 to 8 (default 3)
			  --checkpoint FILE  where the last acknowledged line is kept (default: F.checkpoint); a rerun resumes there
			  --rejected FILE    rejected lines with their reasons, as JSON lines (default: F.rejected.jsonl)
			  --restart          ignore an existing checkpoint and start again from line 1
			  --auth-tenant A    the tenant whose token endpoint FOYER_CLIENT_ID authenticates at (default: admin)
			credentials, from the environment (not the command line, where other users of the machine could read them):
			  FOYER_TOKEN                               a bearer access token of the admin API, or
			  FOYER_CLIENT_ID and FOYER_CLIENT_SECRET   a service application holding a directory role (client_credentials)""";

	/** The command line, parsed. */
	public record Options(String url, String tenant, Path file, int chunk, int parallel, Path checkpoint, Path rejected,
			boolean restart, ImportClient.Credentials credentials) {

		static Options parse(String[] args, Map<String, String> env) {
			String url = env.getOrDefault("FOYER_BASE_URL", "http://localhost:8080");
			String tenant = null;
			Path file = null;
			int chunk = MAX_CHUNK;
			int parallel = 3;
			Path checkpoint = null;
			Path rejected = null;
			boolean restart = false;
			String authTenant = "admin";
			for (int i = 0; i < args.length; i++) {
				String arg = args[i];
				switch (arg) {
					case "--url" -> url = value(args, ++i, arg);
					case "--tenant" -> tenant = value(args, ++i, arg);
					case "--file" -> file = Path.of(value(args, ++i, arg));
					case "--chunk" -> chunk = number(arg, value(args, ++i, arg), MAX_CHUNK);
					case "--parallel" -> parallel = number(arg, value(args, ++i, arg), 8);
					case "--checkpoint" -> checkpoint = Path.of(value(args, ++i, arg));
					case "--rejected" -> rejected = Path.of(value(args, ++i, arg));
					case "--restart" -> restart = true;
					case "--auth-tenant" -> authTenant = value(args, ++i, arg);
					case "-h", "--help" -> throw new UsageException(null);
					default -> throw new UsageException("unknown option " + arg);
				}
			}
			if (tenant == null || file == null) {
				throw new UsageException("--tenant and --file are required");
			}
			ImportClient.Credentials credentials;
			if (env.get("FOYER_TOKEN") != null && !env.get("FOYER_TOKEN").isBlank()) {
				credentials = ImportClient.Credentials.ofToken(env.get("FOYER_TOKEN").strip());
			}
			else if (env.get("FOYER_CLIENT_ID") != null && env.get("FOYER_CLIENT_SECRET") != null) {
				credentials = ImportClient.Credentials.ofClient(env.get("FOYER_CLIENT_ID"), env.get("FOYER_CLIENT_SECRET"),
						authTenant);
			}
			else {
				throw new UsageException("set FOYER_TOKEN, or FOYER_CLIENT_ID and FOYER_CLIENT_SECRET");
			}
			return new Options(url, tenant, file, chunk, parallel,
					checkpoint != null ? checkpoint : file.resolveSibling(file.getFileName() + ".checkpoint"),
					rejected != null ? rejected : file.resolveSibling(file.getFileName() + ".rejected.jsonl"), restart,
					credentials);
		}

		private static String value(String[] args, int i, String option) {
			if (i >= args.length) {
				throw new UsageException(option + " needs a value");
			}
			return args[i];
		}

		private static int number(String option, String text, int max) {
			try {
				int value = Integer.parseInt(text.replace("_", "").replace(",", ""));
				if (value >= 1 && value <= max) {
					return value;
				}
			}
			catch (NumberFormatException ex) {
				// reported below
			}
			throw new UsageException(option + " needs a whole number from 1 to " + max + ", not " + text);
		}

	}

	static final class UsageException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		UsageException(String message) {
			super(message);
		}

	}

	/** The totals of a run, carried over from the checkpoint when it resumes. */
	public record Totals(long lastLine, long read, long imported, long skipped, long rejected) {

		Totals plus(JsonNode report) {
			return new Totals(report.get("lastLine").asLong(), this.read + report.get("read").asLong(),
					this.imported + report.get("imported").asLong(), this.skipped + report.get("skipped").asLong(),
					this.rejected + report.get("rejected").asLong());
		}

	}

	/** Told after each acknowledged chunk, once the checkpoint is written (tests stop a run here). */
	interface Listener {

		void acknowledged(Totals totals);

	}

	private final Options options;

	private final ImportClient client;

	private final PrintStream err;

	private final Listener listener;

	private final boolean terminal;

	ImportCommand(Options options, PrintStream err, Listener listener, boolean terminal) {
		this.options = options;
		this.client = new ImportClient(options.url(), options.tenant(), options.credentials());
		this.err = err;
		this.listener = listener;
		this.terminal = terminal;
	}

	public static void main(String[] args) {
		System.exit(run(args, System.getenv(), System.err, System.console() != null));
	}

	/** The command with its arguments and environment; answers the exit status (the benchmark calls this too). */
	public static int run(String[] args, Map<String, String> env, PrintStream err, boolean terminal) {
		Options options;
		try {
			options = Options.parse(args, env);
		}
		catch (UsageException ex) {
			if (ex.getMessage() == null) {
				err.println(USAGE);
				return 0;
			}
			err.println("foyer import: " + ex.getMessage());
			err.println(USAGE);
			return 2;
		}
		return new ImportCommand(options, err, totals -> {
		}, terminal).run();
	}

	/** Runs the import; answers the exit status. */
	int run() {
		Path file = this.options.file();
		if (!Files.isRegularFile(file)) {
			this.err.println("foyer import: no such file: " + file);
			return 2;
		}
		try {
			long size = Files.size(file);
			Totals start = resumeFrom(file, size);
			if (start == null) {
				return 2;
			}
			long total = countLines(file);
			if (start.lastLine() == 0) {
				Files.deleteIfExists(this.options.rejected());
			}
			else {
				this.err.printf(Locale.ROOT, "foyer import: resuming after line %,d (checkpoint %s)%n", start.lastLine(),
						this.options.checkpoint());
			}
			Totals done = send(file, size, total, start);
			if (done == null) {
				return 1;
			}
			Files.deleteIfExists(this.options.checkpoint());
			this.err.printf(Locale.ROOT, "foyer import: done, %,d lines: %,d imported, %,d skipped (already there), "
					+ "%,d rejected%s%n", done.lastLine(), done.imported(), done.skipped(), done.rejected(),
					done.rejected() == 0 ? "" : " (reasons in " + this.options.rejected() + ")");
			return 0;
		}
		catch (IOException ex) {
			this.err.println("foyer import: " + ex.getMessage());
			return 1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 1;
		}
	}

	/** The totals to start from: zero, or the checkpoint's when it is this file's. Null (and a message) if not. */
	private Totals resumeFrom(Path file, long size) throws IOException {
		Path checkpoint = this.options.checkpoint();
		if (this.options.restart() || !Files.exists(checkpoint)) {
			return new Totals(0, 0, 0, 0, 0);
		}
		Properties saved = new Properties();
		try (InputStream in = Files.newInputStream(checkpoint)) {
			saved.load(in);
		}
		String expected = file.toAbsolutePath().normalize().toString();
		if (!expected.equals(saved.getProperty("file")) || !Long.toString(size).equals(saved.getProperty("size"))
				|| !this.options.tenant().equals(saved.getProperty("tenant"))) {
			this.err.println("foyer import: " + checkpoint + " is the checkpoint of another import (" + saved.getProperty("file")
					+ ", " + saved.getProperty("size") + " bytes, tenant " + saved.getProperty("tenant")
					+ "); delete it, or pass --restart to start this one from line 1");
			return null;
		}
		return new Totals(Long.parseLong(saved.getProperty("line")), Long.parseLong(saved.getProperty("read")),
				Long.parseLong(saved.getProperty("imported")), Long.parseLong(saved.getProperty("skipped")),
				Long.parseLong(saved.getProperty("rejected")));
	}

	/** A chunk on its way: its first line, its number of lines, and Foyer's answer to come. */
	private record InFlight(long firstLine, int lines, Future<JsonNode> answer) {
	}

	private Totals send(Path file, long size, long total, Totals start) throws IOException, InterruptedException {
		Progress progress = new Progress(total, start.lastLine());
		Totals totals = start;
		boolean stopped = false;
		// Several chunks on their way at once keep the database busy while Foyer reads and checks the next lines.
		// Their answers are taken in file order, so the checkpoint only ever passes lines whose chunks all succeeded.
		ExecutorService senders = Executors.newFixedThreadPool(this.options.parallel(),
				Thread.ofPlatform().name("foyer-import-", 1).daemon().factory());
		Deque<InFlight> inFlight = new ArrayDeque<>();
		try (InputStream in = Files.newInputStream(file)) {
			Lines lines = new Lines(in);
			lines.copy(null, start.lastLine());
			long next = start.lastLine() + 1;
			boolean endOfFile = false;
			while (true) {
				while (!stopped && !endOfFile && inFlight.size() < this.options.parallel()) {
					ByteArrayOutputStream chunk = new ByteArrayOutputStream(4 * 1024 * 1024);
					int count = lines.copy(chunk, this.options.chunk());
					if (count == 0) {
						endOfFile = true;
						break;
					}
					long first = next;
					byte[] body = chunk.toByteArray();
					inFlight.add(new InFlight(first, count, senders.submit(() -> sendWithRetries(body, first))));
					next += count;
				}
				InFlight oldest = inFlight.pollFirst();
				if (oldest == null) {
					break;
				}
				JsonNode report = answer(oldest);
				if (stopped) {
					continue; // what a chunk after a failed one did is not counted; a rerun skips it
				}
				if (report == null) {
					stopped = true;
					continue;
				}
				long last = oldest.firstLine() + oldest.lines() - 1;
				if (report.get("lastLine").asLong() != last) {
					throw new IOException("Foyer acknowledged up to line " + report.get("lastLine").asLong() + ", not "
							+ last + "; the checkpoint stays at line " + totals.lastLine());
				}
				appendRejections(report);
				totals = totals.plus(report);
				saveCheckpoint(file, size, totals);
				this.listener.acknowledged(totals);
				progress.show(this.err, totals, this.terminal);
			}
		}
		finally {
			senders.shutdownNow();
		}
		progress.finish(this.err, totals, this.terminal);
		if (stopped) {
			this.err.printf(Locale.ROOT, "foyer import: stopped; lines up to %,d are done. Run the same command again to "
					+ "resume from line %,d.%n", totals.lastLine(), totals.lastLine() + 1);
			return null;
		}
		return totals;
	}

	private JsonNode answer(InFlight chunk) throws InterruptedException {
		try {
			return chunk.answer().get();
		}
		catch (ExecutionException ex) {
			this.err.println();
			this.err.println("foyer import: " + ex.getCause());
			return null;
		}
	}

	/** The report, or null when Foyer refused (4xx) or stayed unreachable; retries are safe (see ImportClient). */
	private JsonNode sendWithRetries(byte[] body, long startLine) throws InterruptedException {
		for (int attempt = 1;; attempt++) {
			try {
				return this.client.send(body, startLine);
			}
			catch (ImportClient.Refused ex) {
				this.err.println();
				this.err.println("foyer import: " + ex.getMessage());
				return null;
			}
			catch (IOException | UncheckedIOException ex) {
				if (attempt > RETRIES) {
					this.err.println();
					this.err.println("foyer import: " + ex.getMessage());
					return null;
				}
				long seconds = 1L << (attempt - 1);
				this.err.printf(Locale.ROOT, "%nfoyer import: %s; retrying in %d s%n", ex.getMessage(), seconds);
				Thread.sleep(seconds * 1000);
			}
		}
	}

	private void appendRejections(JsonNode report) throws IOException {
		JsonNode rejections = report.get("rejections");
		if (rejections.isEmpty()) {
			return;
		}
		try (OutputStream out = Files.newOutputStream(this.options.rejected(), StandardOpenOption.CREATE,
				StandardOpenOption.APPEND)) {
			for (JsonNode rejection : rejections) {
				out.write(ImportClient.JSON.writeValueAsBytes(rejection));
				out.write('\n');
			}
		}
	}

	private void saveCheckpoint(Path file, long size, Totals totals) throws IOException {
		Properties saved = new Properties();
		saved.setProperty("file", file.toAbsolutePath().normalize().toString());
		saved.setProperty("size", Long.toString(size));
		saved.setProperty("tenant", this.options.tenant());
		saved.setProperty("line", Long.toString(totals.lastLine()));
		saved.setProperty("read", Long.toString(totals.read()));
		saved.setProperty("imported", Long.toString(totals.imported()));
		saved.setProperty("skipped", Long.toString(totals.skipped()));
		saved.setProperty("rejected", Long.toString(totals.rejected()));
		Path checkpoint = this.options.checkpoint().toAbsolutePath();
		Path temporary = checkpoint.resolveSibling(checkpoint.getFileName() + ".tmp");
		try (OutputStream out = Files.newOutputStream(temporary)) {
			saved.store(out, "foyer import: the last line Foyer acknowledged");
		}
		// Replaced in one step, so that a crash leaves the old checkpoint or the new one, never half of one.
		try {
			Files.move(temporary, checkpoint, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(temporary, checkpoint, StandardCopyOption.REPLACE_EXISTING);
		}
	}

	/** Lines as Foyer counts them: ended by a newline, and a last one without it if it has any bytes. */
	static long countLines(Path file) throws IOException {
		long lines = 0;
		int last = '\n';
		try (InputStream in = Files.newInputStream(file)) {
			byte[] buffer = new byte[256 * 1024];
			for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
				for (int i = 0; i < n; i++) {
					if (buffer[i] == '\n') {
						lines++;
					}
				}
				last = buffer[n - 1];
			}
		}
		return last == '\n' ? lines : lines + 1;
	}

	/** The file's lines in order, copied a buffer at a time rather than a byte at a time. */
	private static final class Lines {

		private final InputStream in;

		private final byte[] buffer = new byte[256 * 1024];

		private int position;

		private int limit;

		Lines(InputStream in) {
			this.in = in;
		}

		/** Copies up to {@code max} lines, newlines included, to {@code out} (null: drops them); answers how many. */
		int copy(OutputStream out, long max) throws IOException {
			int lines = 0;
			boolean partial = false;
			while (lines < max) {
				if (this.position == this.limit) {
					this.limit = Math.max(0, this.in.read(this.buffer));
					this.position = 0;
					if (this.limit == 0) {
						return partial ? lines + 1 : lines;
					}
				}
				int start = this.position;
				while (this.position < this.limit && lines < max) {
					if (this.buffer[this.position++] == '\n') {
						lines++;
					}
				}
				if (out != null) {
					out.write(this.buffer, start, this.position - start);
				}
				partial = this.position > 0 && this.buffer[this.position - 1] != '\n';
			}
			return lines;
		}

	}

	/** Count, rate and ETA on stderr: rewritten in place on a terminal, a line every few seconds otherwise. */
	private static final class Progress {

		private final long total;

		private final long firstLine;

		private final long started = System.nanoTime();

		private long shownAt;

		private long shownLine = -1;

		Progress(long total, long alreadyDone) {
			this.total = total;
			this.firstLine = alreadyDone;
		}

		void show(PrintStream err, Totals totals, boolean terminal) {
			long now = System.nanoTime();
			if (!terminal && now - this.shownAt < 5_000_000_000L) {
				return;
			}
			this.shownAt = now;
			this.shownLine = totals.lastLine();
			double seconds = Math.max(1e-3, (now - this.started) / 1e9);
			double rate = (totals.lastLine() - this.firstLine) / seconds;
			long remaining = Math.max(0, this.total - totals.lastLine());
			String eta = rate > 0 ? duration((long) (remaining / rate)) : "?";
			String text = String.format(Locale.ROOT,
					"foyer import: %,d of %,d lines (%.1f%%), %,.0f lines/s, ETA %s; %,d imported, %,d skipped, %,d rejected",
					totals.lastLine(), this.total, this.total == 0 ? 100.0 : 100.0 * totals.lastLine() / this.total, rate,
					eta, totals.imported(), totals.skipped(), totals.rejected());
			if (terminal) {
				err.print("\r" + text + "\u001b[K");
			}
			else {
				err.println(text);
			}
			err.flush();
		}

		void finish(PrintStream err, Totals totals, boolean terminal) {
			if (totals.lastLine() == this.shownLine && !terminal) {
				return; // the last line shown says it already
			}
			this.shownAt = 0;
			show(err, totals, terminal);
			if (terminal) {
				err.println();
			}
		}

		private static String duration(long seconds) {
			return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
					: String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
		}

	}

}

package dev.foyer.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

import tools.jackson.databind.JsonNode;

/**
 * Two builds of Foyer measured in turn on one machine ({@code ./foyer bench-ab A B}, docs/benchmarks.md): both
 * servers run at once, each warmed up alike, and then take turns, round after round, at client_credentials grants and
 * at end-to-end logins, which of the two goes first alternating. On a shared two-core machine one benchmark run
 * moves by 10-30% from the next (the bounds do too), far more than most single changes; runs this close together
 * meet the same machine, so the ratio of their medians shows a change of a few percent. Each round reports
 * requests per second and the server's CPU per request (from /proc), which depends less on what else the machine
 * does.
 *
 * <p>System properties: {@code ab.a.dir} and {@code ab.b.dir}, each a checkout with {@code target/app} built;
 * {@code ab.a.label} and {@code ab.b.label}; {@code ab.a.jvmOptions} and {@code ab.b.jvmOptions}, what
 * {@code ./foyer jvm-options} printed in each (its paths are relative to the checkout). Arguments:
 * {@code --rounds=N} (default 6), {@code --seconds=S} per turn (default 10), {@code --only=tokens|logins},
 * {@code --quick} (2 rounds of 5 s, shorter warm-ups).
 */
final class AbBenchmark {

	private static final String PASSWORD = "bench login passphrase";

	/** One build under test: its server, and what the rounds send it. */
	private record Side(String label, FoyerServer server, String tokenUrl, String grant, FoyerLogin login,
			List<String> people, List<Turn> grants, List<Turn> logins) {

		Side(String label, FoyerServer server, String tokenUrl, String grant, FoyerLogin login, List<String> people) {
			this(label, server, tokenUrl, grant, login, people, new ArrayList<>(), new ArrayList<>());
		}

	}

	/** One turn: requests per second, and the server's CPU milliseconds per request meanwhile. */
	private record Turn(double perSecond, double cpuMillisEach) {
	}

	public static void main(String[] args) throws Exception {
		List<String> options = List.of(args);
		boolean quick = options.contains("--quick");
		int rounds = Integer.parseInt(option(options, "--rounds=", quick ? "2" : "6"));
		int seconds = Integer.parseInt(option(options, "--seconds=", quick ? "5" : "10"));
		String only = option(options, "--only=", "");
		Path work = Files.createTempDirectory("foyer-ab-");
		List<Side> sides = new ArrayList<>();
		try {
			for (String side : List.of("a", "b")) {
				sides.add(start(side, work.resolve(side)));
			}
			boolean tokens = !only.equals("logins");
			boolean logins = !only.equals("tokens");
			// Warm-up, as long for each: a login touches much more code than a grant, and its JIT settles later.
			for (Side side : sides) {
				System.err.println("bench-ab: warming up " + side.label() + " ...");
				if (tokens) {
					Load.wrk(side.tokenUrl(), side.grant(), 16, quick ? 10 : 30);
				}
				if (logins) {
					Load.logins(side.login(), side.people(), PASSWORD, 4, quick ? 20 : 120);
				}
			}
			for (int round = 0; round < rounds; round++) {
				List<Side> order = round % 2 == 0 ? sides : sides.reversed();
				for (Side side : order) {
					if (tokens) {
						long cpu = Load.cpuMillis(side.server().pid());
						Load.Run run = Load.wrk(side.tokenUrl(), side.grant(), 16, seconds);
						side.grants().add(turn(run.perSecond(), run.requests() - run.errors(), Load.cpuMillis(side.server().pid()) - cpu));
					}
					if (logins) {
						long cpu = Load.cpuMillis(side.server().pid());
						Load.Logins run = Load.logins(side.login(), side.people(), PASSWORD, 4, seconds);
						side.logins().add(turn(run.run().perSecond(), run.count(), Load.cpuMillis(side.server().pid()) - cpu));
					}
					System.err.println("bench-ab: round " + (round + 1) + " of " + rounds + ", " + side.label() + ": "
							+ last(side.grants(), "grants") + last(side.logins(), "logins"));
				}
			}
		}
		finally {
			for (Side side : sides) {
				side.server().stop(Duration.ofSeconds(20));
			}
			WorkDirectory.delete(work);
		}
		print(sides, rounds, seconds);
	}

	private static Side start(String side, Path work) throws Exception {
		String label = System.getProperty("ab." + side + ".label", side);
		Path directory = Path.of(System.getProperty("ab." + side + ".dir"));
		List<String> jvmOptions = new ArrayList<>(List.of(System.getProperty("ab." + side + ".jvmOptions", "").trim().split("\\s+")));
		jvmOptions.removeIf(String::isBlank);
		Files.createDirectories(work);
		String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(Load.random(32));
		FoyerServer server = new FoyerServer(Path.of(System.getProperty("java.home"), "bin", "java"),
				directory.resolve("target/app/foyer.jar"), jvmOptions, directory, work, secret)
			.environment("FOYER_RATE_LIMIT_PER_IP_PER_MINUTE", "1000000")
			.environment("LOGGING_LEVEL_DEV_FOYER_REQUEST", "WARN");
		Runtime.getRuntime().addShutdownHook(new Thread(server::kill));
		System.err.println("bench-ab: starting " + label + " (" + directory + ") ...");
		server.startAndAwaitReady(Duration.ofSeconds(60));
		// What ProtocolBenchmark provisions: a service app for the grants, a web app and its people for the logins.
		AdminApi admin = new AdminApi(server.base(), FoyerServer.CLIENT_ID, secret);
		created(admin.postJson("/api/v1/tenants", Map.of("id", "bench-rs", "displayName", "Bench RS256")));
		JsonNode service = created(admin.postJson("/api/v1/tenants/bench-rs/applications",
				Map.of("displayName", "Daemon", "type", "service")));
		JsonNode web = created(admin.postJson("/api/v1/tenants/bench-rs/applications", Map.of("displayName", "Web", "type", "web",
				"redirectUris", List.of("http://localhost:9/callback"))));
		List<String> people = IntStream.range(0, 4).mapToObj(i -> "login" + i + "@bench.example").toList();
		for (String email : people) {
			created(admin.postJson("/api/v1/tenants/bench-rs/users", Map.of("email", email, "password", PASSWORD)));
		}
		String grant = Load.request("POST", "grant_type=client_credentials", Map.of("Content-Type",
				"application/x-www-form-urlencoded", "Authorization",
				Load.basic(service.get("clientId").asString(), service.get("clientSecret").asString())));
		return new Side(label, server, server.base() + "/t/bench-rs/oauth2/token", grant,
				new FoyerLogin(server.base(), "bench-rs", web.get("clientId").asString(), web.get("clientSecret").asString(),
						"http://localhost:9/callback"),
				people);
	}

	private static JsonNode created(AdminApi.Answer answer) {
		if (answer.status() >= 300) {
			throw new IllegalStateException("the admin API answered " + answer.status() + ": " + answer.body());
		}
		return answer.json();
	}

	private static Turn turn(double perSecond, long count, long cpuMillis) {
		return new Turn(perSecond, (double) cpuMillis / Math.max(1, count));
	}

	private static String last(List<Turn> turns, String what) {
		if (turns.isEmpty()) {
			return "";
		}
		Turn t = turns.getLast();
		return String.format(Locale.ROOT, "%s %.1f/s, %.3f ms CPU each; ", what, t.perSecond(), t.cpuMillisEach());
	}

	private static void print(List<Side> sides, int rounds, int seconds) {
		Side a = sides.get(0);
		Side b = sides.get(1);
		System.out.println("# Foyer A/B: " + a.label() + " (A) against " + b.label() + " (B)");
		System.out.println();
		System.out.println("- Date: " + java.time.Instant.now());
		System.out.println("- JDK: " + System.getProperty("java.version") + ", machine: "
				+ Runtime.getRuntime().availableProcessors() + " cores");
		System.out.println("- " + rounds + " rounds of " + seconds + " s per build and scenario, the order alternating;"
				+ " medians, with the lowest and highest in brackets; B / A of the medians, and the median of the rounds'"
				+ " own B / A (each pair measured a few seconds apart, so a machine whose speed drifts moves both)");
		System.out.println();
		System.out.println("| Figure | A | B | B / A | B / A by round |");
		System.out.println("|---|---:|---:|---:|---:|");
		row("client_credentials grants/s", a.grants(), b.grants(), Turn::perSecond);
		row("server CPU ms per grant", a.grants(), b.grants(), Turn::cpuMillisEach);
		row("end-to-end logins/s", a.logins(), b.logins(), Turn::perSecond);
		row("server CPU ms per login", a.logins(), b.logins(), Turn::cpuMillisEach);
	}

	private static void row(String figure, List<Turn> a, List<Turn> b, java.util.function.ToDoubleFunction<Turn> value) {
		if (a.isEmpty() || b.isEmpty()) {
			return;
		}
		double[] as = a.stream().mapToDouble(value).sorted().toArray();
		double[] bs = b.stream().mapToDouble(value).sorted().toArray();
		double[] byRound = IntStream.range(0, Math.min(a.size(), b.size()))
			.mapToDouble(i -> value.applyAsDouble(b.get(i)) / value.applyAsDouble(a.get(i)))
			.sorted()
			.toArray();
		System.out.printf(Locale.ROOT, "| %s | %s | %s | %.3f | %s |%n", figure, spread(as), spread(bs), median(bs) / median(as),
				spread(byRound));
	}

	private static String spread(double[] sorted) {
		String format = sorted[sorted.length - 1] < 100 ? "%.3f" : "%,.0f";
		return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", median(sorted), sorted[0],
				sorted[sorted.length - 1]);
	}

	private static double median(double[] sorted) {
		int n = sorted.length;
		return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	private static String option(List<String> options, String prefix, String otherwise) {
		return options.stream().filter(o -> o.startsWith(prefix)).map(o -> o.substring(prefix.length())).findFirst()
			.orElse(otherwise);
	}

}

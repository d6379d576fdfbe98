package dev.foyer.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.databind.json.JsonMapper;

/**
 * Keycloak (the Quarkus distribution, unpacked and built by bench/compare) as a child process on a free loopback
 * port: production mode ({@code start --optimized}) on its embedded dev-file database, with the JVM options it ships
 * with, the same JDK as Foyer, and Argon2id at Foyer's parameters. Provisioned through its admin REST API.
 */
final class KeycloakServer {

	static final String REALM = "bench";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path home;

	private final Path javaHome;

	private final Path log;

	private final int port = freePort();

	private final String adminPassword = "bench-" + Long.toHexString(System.nanoTime());

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2)).build();

	private Process script;

	/** {@code --db-url} and credentials when it runs on PostgreSQL (a Keycloak built with {@code --db=postgres}). */
	private List<String> databaseOptions = List.of();

	private long javaPid;

	KeycloakServer(Path home, Path javaHome, Path log) {
		this.home = home;
		this.javaHome = javaHome;
		this.log = log;
	}

	/** Runs on this PostgreSQL database instead of the embedded one. */
	void database(String jdbcUrl, String user, String password) {
		this.databaseOptions = List.of("--db-url=" + jdbcUrl, "--db-username=" + user, "--db-password=" + password);
	}

	String base() {
		return "http://127.0.0.1:" + this.port;
	}

	String issuer() {
		return base() + "/realms/" + REALM;
	}

	long pid() {
		return this.javaPid;
	}

	String version() throws IOException {
		return Files.readString(this.home.resolve("version.txt")).trim();
	}

	/** Removes its database, so that the next start is a first start. */
	void wipe() throws IOException {
		Path data = this.home.resolve("data");
		if (Files.exists(data)) {
			try (Stream<Path> files = Files.walk(data)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(file);
				}
			}
		}
	}

	/** Starts Keycloak and returns the nanoseconds until its master realm's discovery document answers. */
	long startAndAwaitReady(Duration timeout) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(this.home.resolve("bin/kc.sh").toString(), "start", "--optimized",
				"--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + this.port, "--hostname-strict=false",
				"--cache=local",
				// Argon2id at Foyer's parameters (OWASP's: 19 MiB, 2 iterations, 1 lane), so that logins compare.
				"--spi-password-hashing--argon2--memory=19456", "--spi-password-hashing--argon2--iterations=2",
				"--spi-password-hashing--argon2--parallelism=1"));
		command.addAll(this.databaseOptions);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(this.log.toFile()));
		builder.environment().keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("JAVA_OPTS"));
		builder.environment().put("JAVA_HOME", this.javaHome.toString());
		builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
		builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", this.adminPassword);
		HttpRequest probe = HttpRequest.newBuilder(URI.create(base() + "/realms/master/.well-known/openid-configuration"))
			.timeout(Duration.ofSeconds(2)).build();
		long started = System.nanoTime();
		this.script = builder.start();
		long deadline = started + timeout.toNanos();
		while (true) {
			if (!this.script.isAlive()) {
				throw new IllegalStateException("Keycloak exited with status " + this.script.exitValue() + "; see " + this.log);
			}
			try {
				if (this.http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					long ready = System.nanoTime() - started;
					// kc.sh runs java as its child: CPU and memory are the JVM's.
					this.javaPid = this.script.toHandle().descendants()
						.filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
						.findFirst()
						.orElseThrow(() -> new IllegalStateException("no java process under kc.sh"))
						.pid();
					return ready;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Keycloak was not ready after " + timeout.toSeconds() + " s; see " + this.log);
			}
			Thread.sleep(50);
		}
	}

	void stop() throws InterruptedException {
		if (this.script == null) {
			return;
		}
		// SIGTERM to the JVM itself (kc.sh waits for it), then to the script.
		ProcessHandle.of(this.javaPid).ifPresent(ProcessHandle::destroy);
		this.script.destroy();
		if (!this.script.waitFor(30, TimeUnit.SECONDS)) {
			ProcessHandle.of(this.javaPid).ifPresent(ProcessHandle::destroyForcibly);
			this.script.destroyForcibly();
		}
		this.script.waitFor(10, TimeUnit.SECONDS);
		this.script = null;
	}

	// ---- provisioning -----------------------------------------------------------------------------------------

	/** The realm's clients: a service client (client_credentials) and a confidential web client. */
	record Clients(String serviceId, String serviceSecret, String webId, String webSecret) {
	}

	/**
	 * A realm like Foyer's bench tenant: access tokens for an hour (Keycloak's default is 5 minutes, too short for a
	 * run), Argon2 password hashing, a service client, a web client with PKCE, and {@code people} with
	 * {@code password}.
	 */
	Clients provision(List<String> people, String password, String redirectUri) throws IOException, InterruptedException {
		String token = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base() + "/realms/master/protocol/openid-connect/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=admin&password="
					+ Load.enc(this.adminPassword)))
			.build(), 200)).get("access_token").asString();
		admin(token, "/admin/realms", Map.of("realm", REALM, "enabled", true, "accessTokenLifespan", 3600,
				"ssoSessionIdleTimeout", 36000, "ssoSessionMaxLifespan", 36000, "passwordPolicy", "hashAlgorithm(argon2)"));
		String serviceSecret = "svc-" + Long.toHexString(System.nanoTime());
		admin(token, "/admin/realms/" + REALM + "/clients", Map.of("clientId", "daemon", "secret", serviceSecret,
				"publicClient", false, "serviceAccountsEnabled", true, "standardFlowEnabled", false,
				"directAccessGrantsEnabled", false));
		String webSecret = "web-" + Long.toHexString(System.nanoTime());
		admin(token, "/admin/realms/" + REALM + "/clients", Map.of("clientId", "web", "secret", webSecret,
				"publicClient", false, "standardFlowEnabled", true, "directAccessGrantsEnabled", false,
				"redirectUris", List.of(redirectUri), "attributes", Map.of("pkce.code.challenge.method", "S256")));
		for (String email : people) {
			admin(token, "/admin/realms/" + REALM + "/users", Map.of("username", email, "email", email, "emailVerified", true,
					"enabled", true, "firstName", "Bench", "lastName", "Person", "credentials",
					List.of(Map.of("type", "password", "value", password, "temporary", false))));
		}
		return new Clients("daemon", serviceSecret, "web", webSecret);
	}

	private void admin(String token, String path, Object body) throws IOException, InterruptedException {
		send(HttpRequest.newBuilder(URI.create(base() + path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
			.build(), 201);
	}

	private String send(HttpRequest request, int expected) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != expected) {
			throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
					+ response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	// ---- a person signing in ----------------------------------------------------------------------------------

	/**
	 * Keycloak's browser flow without a browser: GET auth (its login page, with the form's action URL and session
	 * cookies), POST username and password to that action, take the code from the redirect, exchange it.
	 */
	record Login(String base, String clientId, String clientSecret, String redirectUri) implements Load.LoginFlow {

		private static final Pattern ACTION = Pattern.compile("id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"|action=\"([^\"]+)\"[^>]*id=\"kc-form-login\"");

		@Override
		public String login(HttpClient browser, String email, String password) throws Exception {
			Load.Pkce pkce = Load.Pkce.create();
			String realm = this.base + "/realms/" + REALM + "/protocol/openid-connect";
			String page = browser.send(HttpRequest.newBuilder(URI.create(realm + "/auth?response_type=code&client_id="
					+ this.clientId + "&scope=openid&state=s&redirect_uri=" + Load.enc(this.redirectUri) + "&code_challenge="
					+ pkce.challenge() + "&code_challenge_method=S256")).build(), HttpResponse.BodyHandlers.ofString()).body();
			Matcher action = ACTION.matcher(page);
			if (!action.find()) {
				throw new IllegalStateException("no login form on Keycloak's page");
			}
			String target = (action.group(1) != null ? action.group(1) : action.group(2)).replace("&amp;", "&");
			HttpResponse<String> posted = browser.send(HttpRequest.newBuilder(URI.create(target))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("username=" + Load.enc(email) + "&password=" + Load.enc(password)
						+ "&credentialId="))
				.build(), HttpResponse.BodyHandlers.ofString());
			return Load.exchange(realm + "/token", this.clientId, this.clientSecret, Load.code(posted), this.redirectUri, pkce);
		}

	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}

package dev.foyer.bench;

import java.io.IOException;
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

import dev.foyer.support.MailServer;
import dev.foyer.support.Person;
import dev.foyer.support.TestFoyer;
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

	private final int port = TestFoyer.freePort();

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
	 * {@code password}. Sign-up is open as on Foyer's default user flow: the address is the username (Foyer has no
	 * usernames), it must be verified, and the mail for that goes to the SMTP server on {@code smtpPort} of loopback.
	 */
	Clients provision(List<String> people, String password, String redirectUri, int smtpPort)
			throws IOException, InterruptedException {
		String token = JSON.readTree(send(HttpRequest.newBuilder(URI.create(base() + "/realms/master/protocol/openid-connect/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=admin&password="
					+ Load.enc(this.adminPassword)))
			.build(), 200)).get("access_token").asString();
		admin(token, "/admin/realms", Map.of("realm", REALM, "enabled", true, "accessTokenLifespan", 3600,
				"ssoSessionIdleTimeout", 36000, "ssoSessionMaxLifespan", 36000, "passwordPolicy", "hashAlgorithm(argon2)",
				"registrationAllowed", true, "registrationEmailAsUsername", true, "verifyEmail", true,
				"smtpServer", Map.of("host", "127.0.0.1", "port", Integer.toString(smtpPort), "from", "no-reply@bench.example")));
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

	// ---- a person signing in or up ---------------------------------------------------------------------------

	/**
	 * Keycloak's browser flow without a browser: GET auth (its login page, with the form's action URL and session
	 * cookies), POST username and password to that action, take the code from the redirect, exchange it.
	 */
	record Login(String base, String clientId, String clientSecret, String redirectUri) implements Load.LoginFlow {

		@Override
		public String login(HttpClient browser, String email, String password) throws Exception {
			Person person = new Person(browser);
			Load.Pkce pkce = Load.Pkce.create();
			String page = get(person, this.base, authorization(this.base, this.clientId, this.redirectUri, pkce), 200,
					"login page").body();
			HttpResponse<String> posted = post(person, this.base, formAction(page, "kc-form-login"), Map.of("username", email,
					"password", password, "credentialId", ""), 302, "login post");
			return Load.exchange(browser, tokenUrl(this.base), this.clientId, this.clientSecret, Load.code(posted),
					this.redirectUri, pkce);
		}

	}

	/**
	 * Keycloak's registration without a browser, as the realm is provisioned (verifyEmail on): GET auth, the login
	 * page's registration link, POST address and name, GET the verify-email page (which mails the link), follow the
	 * link from the mail in the SMTP sink of this JVM ({@link MailServer}), then the password page and its POST,
	 * take the code from the redirect, exchange it. Keycloak 26 asks for the password only once the address is
	 * verified, as Foyer does (the registration form would carry it only with an option Keycloak deprecates).
	 */
	record SignUp(String base, String clientId, String clientSecret, String redirectUri) implements Load.SignUpFlow {

		private static final Pattern REGISTRATION = Pattern.compile("href=\"([^\"]*/login-actions/registration\\?[^\"]*)\"");

		/** The plain-text part's link (the mail's HTML part has it too, quoted-printable). */
		private static final Pattern VERIFICATION = Pattern.compile("(http\\S+/login-actions/action-token\\?\\S+)");

		@Override
		public String signUp(HttpClient browser, Person.Newcomer newcomer) throws Exception {
			Person person = new Person(browser);
			Load.Pkce pkce = Load.Pkce.create();
			String login = get(person, this.base, authorization(this.base, this.clientId, this.redirectUri, pkce), 200,
					"login page").body();
			Matcher registration = REGISTRATION.matcher(login);
			if (!registration.find()) {
				throw new IllegalStateException("no registration link on Keycloak's login page");
			}
			String form = get(person, this.base, registration.group(1).replace("&amp;", "&"), 200, "registration page").body();
			HttpResponse<String> registered = post(person, this.base, formAction(form, "kc-register-form"), Map.of("email",
					newcomer.email(), "firstName", newcomer.givenName(), "lastName", newcomer.surname()), 302, "registration post");
			get(person, this.base, location(registered), 200, "verify-email page");
			HttpResponse<String> verified = get(person, this.base, MailServer.latest(newcomer.email(), VERIFICATION), 302,
					"verification link");
			String passwordPage = get(person, this.base, location(verified), 200, "password page").body();
			HttpResponse<String> posted = post(person, this.base, formAction(passwordPage, "kc-passwd-update-form"), Map.of("password-new",
					newcomer.password(), "password-confirm", newcomer.password()), 302, "password post");
			return Load.exchange(browser, tokenUrl(this.base), this.clientId, this.clientSecret, Load.code(posted),
					this.redirectUri, pkce);
		}

	}

	private static String authorization(String base, String clientId, String redirectUri, Load.Pkce pkce) {
		return base + "/realms/" + REALM + "/protocol/openid-connect/auth?response_type=code&client_id=" + clientId
				+ "&scope=openid&state=s&redirect_uri=" + Load.enc(redirectUri) + "&code_challenge=" + pkce.challenge()
				+ "&code_challenge_method=S256";
	}

	private static String tokenUrl(String base) {
		return base + "/realms/" + REALM + "/protocol/openid-connect/token";
	}

	/** Where the page's form with this id posts to. */
	private static String formAction(String page, String formId) {
		Matcher form = Pattern.compile("<form[^>]*\\bid=\"" + formId + "\"[^>]*>").matcher(page);
		Matcher action = form.find() ? Pattern.compile("action=\"([^\"]+)\"").matcher(form.group()) : null;
		if (action == null || !action.find()) {
			throw new IllegalStateException("no form " + formId + " on Keycloak's page");
		}
		return action.group(1).replace("&amp;", "&");
	}

	/** A step of a flow by {@code person}, who keeps the cookies, at Keycloak on {@code base}. */
	private static HttpResponse<String> get(Person person, String base, String url, int expected, String step)
			throws Exception {
		return expect(person.get(base, url), expected, step);
	}

	private static HttpResponse<String> post(Person person, String base, String url, Map<String, String> form, int expected,
			String step) throws Exception {
		return expect(person.post(base, url, form), expected, step);
	}

	private static HttpResponse<String> expect(HttpResponse<String> response, int expected, String step) {
		if (response.statusCode() != expected) {
			throw new IllegalStateException("Keycloak's " + step + " answered " + response.statusCode() + " instead of "
					+ expected + (response.statusCode() == 302 ? " (to " + location(response) + ")" : ""));
		}
		return response;
	}

	private static String location(HttpResponse<String> redirect) {
		return redirect.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException("no Location"));
	}

}

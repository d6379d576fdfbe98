package dev.foyer.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;

/**
 * A person with a browser, without a browser (the steps of the protocol benchmark's logins): plain HTTP that keeps
 * the cookies it is given and reads redirects instead of following them, so that the caller sends every step to the
 * node it names ({@code origin}, such as {@code http://localhost:8081}), as a balancer without sticky sessions
 * might. Also the app's side: code exchange and refresh.
 */
public final class Person {

	public static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	/**
	 * The cookies the nodes set, by name: every node serves the same cookies, so one jar for all of them. Cookies are
	 * scoped to their tenant's path, and names repeat across tenants: a person here visits one tenant.
	 */
	private final Map<String, String> cookies = new LinkedHashMap<>();

	/** How the requests travel: {@link #HTTP} in the tests; a lighter client in the benchmarks' load. */
	private final HttpClient http;

	public Person() {
		this(HTTP);
	}

	public Person(HttpClient http) {
		this.http = http;
	}

	/** A web app of a tenant, as the test registered it. */
	public record WebApp(String tenant, String clientId, String secret, String redirectUri) {
	}

	/** What the token endpoint answered, parsed when it is 200. */
	public record Tokens(int status, JsonNode json) {

		public String refreshToken() {
			return this.json.get("refresh_token").asString();
		}

		public String accessToken() {
			return this.json.get("access_token").asString();
		}

	}

	public HttpResponse<String> get(String origin, String pathOrUrl) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(url(origin, pathOrUrl))).GET());
	}

	public HttpResponse<String> post(String origin, String path, Map<String, String> form) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(url(origin, path)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(form))));
	}

	/** Where a path goes on the node at {@code origin}; a redirect's URL names the balancer, so only its path counts. */
	public static String url(String origin, String pathOrUrl) {
		return origin + (pathOrUrl.startsWith("http") ? pathOrUrl.replaceFirst("^https?://[^/]+", "") : pathOrUrl);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		if (!this.cookies.isEmpty()) {
			request.header("Cookie", this.cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
				.collect(Collectors.joining("; ")));
		}
		HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(20)).build(),
				HttpResponse.BodyHandlers.ofString());
		for (String set : response.headers().allValues("Set-Cookie")) {
			String pair = set.split(";", 2)[0];
			int eq = pair.indexOf('=');
			String value = pair.substring(eq + 1);
			boolean expired = set.toLowerCase(java.util.Locale.ROOT).contains("max-age=0");
			if (expired || value.isEmpty()) {
				this.cookies.remove(pair.substring(0, eq));
			}
			else {
				this.cookies.put(pair.substring(0, eq), value);
			}
		}
		return response;
	}

	/** The authorization request of an app, with PKCE; the verifier for the exchange is kept by the caller. */
	public static String authorize(WebApp app, String redirectUri, String challenge) {
		return "/t/" + app.tenant() + "/oauth2/authorize?response_type=code&scope=" + enc("openid offline_access")
				+ "&client_id=" + enc(app.clientId()) + "&redirect_uri=" + enc(redirectUri) + "&state=s1"
				+ "&code_challenge=" + challenge + "&code_challenge_method=S256";
	}

	/**
	 * A full sign-in: the authorization request to {@code start}, which answers with the sign-in page; the page's post
	 * (with the flow run's CSRF token and the cookies) to {@code finish}, which answers with the redirect to the app,
	 * and the code exchanged at {@code finish}'s token endpoint.
	 */
	public Tokens signIn(WebApp app, String email, String password, String start, String finish) throws Exception {
		String verifier = random();
		HttpResponse<String> page = get(start, authorize(app, app.redirectUri(), challenge(verifier)));
		expect(page, 200, "authorization request (the sign-in page)");
		HttpResponse<String> posted = post(finish, "/t/" + app.tenant() + "/login", Map.of("flow", field(page.body(), "flow"),
				"csrf", field(page.body(), "csrf"), "email", email, "password", password));
		expect(posted, 302, "sign-in post");
		return backToTheApp(app, finish, posted, verifier);
	}

	/** Who signs up: the address the code goes to, and what the sign-up flow's last page asks for. */
	public record Newcomer(String email, String password, String givenName, String surname) {
	}

	/**
	 * A full sign-up on the tenant's default user flow at {@code origin}: the authorization request, the sign-in
	 * page's link to sign-up, the address, the code that was mailed to it (read by {@code mailedCode}, such as
	 * {@link MailServer#latestCode}), the password and name (answered with the redirect to the app) and the code
	 * exchanged.
	 */
	public Tokens signUp(WebApp app, Newcomer newcomer, Function<String, String> mailedCode, String origin) throws Exception {
		String verifier = random();
		HttpResponse<String> signIn = get(origin, authorize(app, app.redirectUri(), challenge(verifier)));
		expect(signIn, 200, "authorization request (the sign-in page)");
		HttpResponse<String> signUp = get(origin, link(signIn.body(), "/t/" + app.tenant() + "/signup"));
		expect(signUp, 200, "sign-up page");
		HttpResponse<String> codeStep = post(origin, "/t/" + app.tenant() + "/signup/email", Map.of("flow",
				field(signUp.body(), "flow"), "csrf", field(signUp.body(), "csrf"), "email", newcomer.email()));
		expectForm(codeStep, "/t/" + app.tenant() + "/signup/code", "sign-up address post");
		HttpResponse<String> detailsStep = post(origin, "/t/" + app.tenant() + "/signup/code", Map.of("flow",
				field(codeStep.body(), "flow"), "csrf", field(codeStep.body(), "csrf"), "code",
				mailedCode.apply(newcomer.email())));
		expectForm(detailsStep, "/t/" + app.tenant() + "/signup/details", "sign-up code post");
		HttpResponse<String> created = post(origin, "/t/" + app.tenant() + "/signup/details", Map.of("flow",
				field(detailsStep.body(), "flow"), "csrf", field(detailsStep.body(), "csrf"), "password", newcomer.password(),
				"attr.givenName", newcomer.givenName(), "attr.surname", newcomer.surname()));
		expect(created, 302, "sign-up details post");
		return backToTheApp(app, origin, created, verifier);
	}

	/**
	 * After the hosted pages: the last post's answer is the authorization response, a redirect to the app with the
	 * code; then the exchange.
	 */
	private Tokens backToTheApp(WebApp app, String origin, HttpResponse<String> posted, String verifier) throws Exception {
		Matcher code = Pattern.compile("^" + Pattern.quote(app.redirectUri()) + "\\?(?:.*&)?code=([^&]+)").matcher(location(posted));
		if (!code.find()) {
			throw new IllegalStateException("No code for the app in " + location(posted));
		}
		return exchange(this.http, app, origin, java.net.URLDecoder.decode(code.group(1), StandardCharsets.UTF_8), verifier);
	}

	public static Tokens exchange(WebApp app, String origin, String code, String verifier) throws IOException, InterruptedException {
		return exchange(HTTP, app, origin, code, verifier);
	}

	private static Tokens exchange(HttpClient http, WebApp app, String origin, String code, String verifier)
			throws IOException, InterruptedException {
		return token(http, app, origin, Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
				app.redirectUri(), "code_verifier", verifier));
	}

	public static Tokens refresh(WebApp app, String origin, String refreshToken) throws IOException, InterruptedException {
		return token(app, origin, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
	}

	public static Tokens token(WebApp app, String origin, Map<String, String> form) throws IOException, InterruptedException {
		return token(HTTP, app, origin, form);
	}

	private static Tokens token(HttpClient http, WebApp app, String origin, Map<String, String> form)
			throws IOException, InterruptedException {
		String basic = Base64.getEncoder().encodeToString((enc(app.clientId()) + ":" + enc(app.secret()))
			.getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url(origin, "/t/" + app.tenant() + "/oauth2/token")))
			.timeout(Duration.ofSeconds(20))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(form)))
			.build(), HttpResponse.BodyHandlers.ofString());
		return new Tokens(answer.statusCode(), answer.statusCode() == 200 ? Api.JSON.readTree(answer.body()) : null);
	}

	public static String location(HttpResponse<?> response) {
		return response.headers().firstValue("Location").orElseThrow(() -> new IllegalStateException("No Location"));
	}

	/** The first link on the page to {@code path} (with its query, entities decoded). */
	public static String link(String html, String path) {
		Matcher m = Pattern.compile("href=\"(" + Pattern.quote(path) + "[^\"]*)\"").matcher(html);
		if (!m.find()) {
			throw new IllegalStateException("No link to " + path + " on the page");
		}
		return m.group(1).replace("&amp;", "&");
	}

	public static String field(String html, String name) {
		Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
		if (!m.find()) {
			throw new IllegalStateException("No " + name + " on the page");
		}
		return m.group(1);
	}

	public static String random() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	public static String challenge(String verifier) throws Exception {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(
				MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
	}

	/** A step of a sign-in answered what it should not have. */
	public static final class UnexpectedAnswer extends IllegalStateException {

		private final int status;

		UnexpectedAnswer(String step, int status, int expected) {
			super(step + " answered " + status + " instead of " + expected);
			this.status = status;
		}

		public int status() {
			return this.status;
		}

	}

	private static void expect(HttpResponse<String> response, int status, String step) {
		if (response.statusCode() != status) {
			throw new UnexpectedAnswer(step, response.statusCode(), status);
		}
	}

	/** A page that answers 200 with the form of the flow's next step; a page with an error message has none. */
	private static void expectForm(HttpResponse<String> response, String action, String step) {
		expect(response, 200, step);
		if (!response.body().contains("action=\"" + action + "\"")) {
			Matcher error = Pattern.compile("class=\"error\"[^>]*>([^<]+)<").matcher(response.body());
			throw new IllegalStateException(step + " did not lead to " + action
					+ (error.find() ? ": " + error.group(1).strip() : ""));
		}
	}

	private static String form(Map<String, String> form) {
		return form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
	}

	public static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}

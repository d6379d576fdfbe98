package dev.foyer.extension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.foyer.config.BaseUrl;
import dev.foyer.keys.ActiveKey;
import dev.foyer.keys.SigningAlgorithm;
import dev.foyer.keys.SigningKeys;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls extensions with Entra External ID's contract: a POST of its JSON envelope with a bearer token signed by the
 * tenant's key ({@code iss} the tenant's issuer, {@code aud} the extension's resource id, {@code azp}
 * {@value #FOYER_CLIENT_ID}), a timeout, retries on connection errors and 5xx answers only, and Entra's error codes
 * when the answer is not what the contract says.
 */
@Component
public class ExtensionCalls {

	/** The {@code azp} (and {@code appid}) of the bearer tokens Foyer sends: an extension may check it. */
	public static final String FOYER_CLIENT_ID = "foyer-authentication-extensions";

	/** Foyer's own code: the extension failed {@value #BREAKER_THRESHOLD} times in a row and is not called for a while. */
	public static final int CIRCUIT_OPEN = 1003900;

	static final int BREAKER_THRESHOLD = 5;

	static final Duration BREAKER_OPEN_FOR = Duration.ofSeconds(30);

	/**
	 * Per extension, on this node: consecutive failures, and until when calls fail at once. A dead extension then
	 * costs sign-ins nothing for a while instead of its full timeout and retries each.
	 */
	private record Breaker(int failures, Instant openUntil) {
	}

	private final java.util.concurrent.ConcurrentHashMap<String, Breaker> breakers = new java.util.concurrent.ConcurrentHashMap<>();

	/** Larger answers are refused (Entra's 1003024). */
	static final int MAX_RESPONSE_BYTES = 64 * 1024;

	private static final Logger log = LoggerFactory.getLogger(ExtensionCalls.class);

	private final HttpClient http = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(5))
		.followRedirects(HttpClient.Redirect.NEVER)
		.build();

	private final SigningKeys keys;

	private final BaseUrl baseUrl;

	private final JsonMapper json;

	private final org.springframework.jdbc.core.simple.JdbcClient jdbc;

	private final dev.foyer.application.Applications applications;

	public ExtensionCalls(SigningKeys keys, BaseUrl baseUrl, JsonMapper json, org.springframework.jdbc.core.simple.JdbcClient jdbc,
			dev.foyer.application.Applications applications) {
		this.applications = applications;
		this.jdbc = jdbc;
		this.keys = keys;
		this.baseUrl = baseUrl;
		this.json = json;
	}

	/** Who is signing in, to which app, from where: the parts of Entra's authentication context Foyer knows. */
	public record SignInContext(String tenantId, String clientId, String ip, String locale,
			Map<String, Object> user) {
	}

	/** An extension call that failed, with Entra's error code. */
	public static class ExtensionFailure extends RuntimeException {

		private final int code;

		private final String correlationId;

		ExtensionFailure(int code, String message, String correlationId) {
			super(code + ": " + message);
			this.code = code;
			this.correlationId = correlationId;
		}

		public int code() {
			return this.code;
		}

		public String correlationId() {
			return this.correlationId;
		}

	}

	/**
	 * The token issuance start event: the claims the extension provides, limited to the ones it declared in
	 * {@code claimsForTokenConfiguration}. Throws {@link ExtensionFailure} when the call or its answer fails.
	 */
	public Map<String, Object> tokenIssuanceStart(Extensions.Attached attached, SignInContext context) {
		return observed(attached, "tokenIssuanceStart", trace -> claims(attached, context, trace));
	}

	/**
	 * Runs one event's call: a fresh trace (correlation id, attempts), the circuit breaker told of the outcome, and
	 * the call recorded, succeeded or failed.
	 */
	private <T> T observed(Extensions.Attached attached, String event, java.util.function.Function<Trace, T> call) {
		Trace trace = new Trace(UUID.randomUUID().toString(), Instant.now(), System.nanoTime());
		try {
			T result = call.apply(trace);
			this.breakers.remove(attached.extension().id());
			record(attached.extension(), event, trace, null);
			return result;
		}
		catch (ExtensionFailure failure) {
			if (failure.code() != CIRCUIT_OPEN) {
				countFailure(attached.extension());
			}
			record(attached.extension(), event, trace, failure);
			throw failure;
		}
	}

	/** What one call did, for its record: attempts made and the last HTTP status. */
	private static final class Trace {

		final String correlationId;

		final Instant startedAt;

		final long started;

		int attempts;

		Integer httpStatus;

		Trace(String correlationId, Instant startedAt, long started) {
			this.correlationId = correlationId;
			this.startedAt = startedAt;
			this.started = started;
		}

	}

	/**
	 * Entra's request envelope for an event: {@code type}, {@code source} and {@code data} with the listener, the
	 * extension and the authentication context, plus the event's own {@code data} fields.
	 */
	private Map<String, Object> envelope(String event, String dataType, Extensions.Attached attached,
			SignInContext context, Trace trace, Map<String, Object> eventData) {
		// The app's name from the in-memory client view, so that no caller has to look it up.
		String appDisplayName = context.clientId() == null ? null
				: this.applications.client(context.tenantId(), context.clientId())
					.map(c -> c.application().displayName())
					.orElse(null);
		Map<String, Object> client = new LinkedHashMap<>();
		client.put("ip", context.ip());
		client.put("locale", context.locale());
		client.put("market", context.locale());
		Map<String, Object> app = new LinkedHashMap<>();
		app.put("id", context.clientId());
		app.put("appId", context.clientId());
		app.put("appDisplayName", appDisplayName);
		app.put("displayName", appDisplayName);
		Map<String, Object> authenticationContext = new LinkedHashMap<>();
		authenticationContext.put("correlationId", trace.correlationId);
		authenticationContext.put("client", client);
		authenticationContext.put("protocol", "OAUTH2.0");
		authenticationContext.put("clientServicePrincipal", app);
		authenticationContext.put("resourceServicePrincipal", app);
		authenticationContext.put("user", context.user());
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("@odata.type", dataType);
		data.put("tenantId", context.tenantId());
		data.put("authenticationEventListenerId", attached.listener().id());
		data.put("customAuthenticationExtensionId", attached.extension().id());
		data.put("authenticationContext", authenticationContext);
		data.putAll(eventData);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", "microsoft.graph.authenticationEvent." + event);
		body.put("source", "/tenants/" + context.tenantId() + "/applications/" + context.clientId());
		body.put("data", data);
		return body;
	}

	/**
	 * The email OTP send event: the extension delivers {@code code} to {@code email} itself. Throws
	 * {@link ExtensionFailure} when the call or its answer fails; the caller then mails the code as usual.
	 */
	public void emailOtpSend(Extensions.Attached attached, SignInContext context, String email, String code) {
		observed(attached, "emailOtpSend", trace -> {
			Map<String, Object> otp = new LinkedHashMap<>();
			otp.put("identifier", email);
			otp.put("onetimecode", code);
			JsonNode answer = call(attached.extension(), envelope("emailOtpSend", "microsoft.graph.onOtpSendCalloutData", attached,
					context, trace, Map.of("otpContext", otp)), trace);
			JsonNode action = singleAction(answer, "microsoft.graph.OnOtpSendResponseData", trace);
			if (!"microsoft.graph.OtpSend.continueWithDefaultBehavior".equalsIgnoreCase(action.path("@odata.type").asString(""))) {
				throw new ExtensionFailure(1003012, "the action must be microsoft.graph.OtpSend.continueWithDefaultBehavior",
						trace.correlationId);
			}
			return null;
		});
	}

	/** The one action of an answer whose {@code data.@odata.type} is {@code dataType}; Entra's codes otherwise. */
	private static JsonNode singleAction(JsonNode answer, String dataType, Trace trace) {
		if (!dataType.equalsIgnoreCase(answer.path("data").path("@odata.type").asString(""))) {
			throw new ExtensionFailure(1003003, "data.@odata.type is not " + dataType, trace.correlationId);
		}
		JsonNode actions = answer.path("data").path("actions");
		if (!actions.isArray() || actions.size() != 1) {
			throw new ExtensionFailure(1003010, "the answer must carry exactly one action", trace.correlationId);
		}
		return actions.get(0);
	}

	/** What an attribute collection start extension decided: values to prefill, or a block page (its message). */
	public record StartOutcome(Map<String, Object> prefill, String blockMessage) {
	}

	/**
	 * The attribute collection start event, before the sign-up attribute page shows: Entra's
	 * {@code continueWithDefaultBehavior}, {@code setPrefillValues} or {@code showBlockPage}.
	 */
	public StartOutcome attributeCollectionStart(Extensions.Attached attached, SignInContext context, String email) {
		return observed(attached, "attributeCollectionStart", trace -> {
			JsonNode answer = call(attached.extension(), envelope("attributeCollectionStart",
					"microsoft.graph.onAttributeCollectionStartCalloutData", attached, context, trace,
					Map.of("userSignUpInfo", Map.of("identities", java.util.List.of(Map.of("signInType", "email",
							"issuer", context.tenantId(), "issuerAssignedId", email))))), trace);
			JsonNode action = singleAction(answer, "microsoft.graph.onAttributeCollectionStartResponseData", trace);
			String type = action.path("@odata.type").asString("");
			return switch (type.toLowerCase(java.util.Locale.ROOT)) {
				case "microsoft.graph.attributecollectionstart.continuewithdefaultbehavior" -> new StartOutcome(Map.of(), null);
				case "microsoft.graph.attributecollectionstart.setprefillvalues" -> {
					if (!action.path("inputs").isObject()) {
						throw new ExtensionFailure(1003012, "setPrefillValues needs an inputs object", trace.correlationId);
					}
					yield new StartOutcome(this.json.treeToValue(action.get("inputs"), Map.class), null);
				}
				case "microsoft.graph.attributecollectionstart.showblockpage" ->
					new StartOutcome(Map.of(), action.path("message").asString(""));
				default -> throw new ExtensionFailure(1003012, "'" + type + "' is not an attributeCollectionStart action",
						trace.correlationId);
			};
		});
	}

	/** What an attribute collection submit extension decided. */
	public record SubmitOutcome(Action action, Map<String, Object> attributes, String message,
			Map<String, String> attributeErrors) {

		/** Entra's four actions. */
		public enum Action {
			CONTINUE, MODIFY, VALIDATION_ERROR, BLOCK
		}

	}

	/**
	 * The attribute collection submit event: the attributes a person entered at sign-up (typed as Entra types them:
	 * string, boolean or int64 directory attribute values; built-in or directory schema extension; never the
	 * password), and the extension's decision. Throws {@link ExtensionFailure} when the call or its answer fails.
	 */
	public SubmitOutcome attributeCollectionSubmit(Extensions.Attached attached, SignInContext context, String email,
			Map<String, Object> attributes, java.util.Set<String> customAttributes) {
		return observed(attached, "attributeCollectionSubmit", trace -> {
			Map<String, Object> typed = new LinkedHashMap<>();
			attributes.forEach((name, value) -> {
				Map<String, Object> entry = new LinkedHashMap<>();
				Object plain = value instanceof java.util.List<?> list
						? String.join(",", list.stream().map(String::valueOf).toList()) : value;
				entry.put("@odata.type", plain instanceof Boolean ? "microsoft.graph.booleanDirectoryAttributeValue"
						: plain instanceof Number ? "microsoft.graph.int64DirectoryAttributeValue"
								: "microsoft.graph.stringDirectoryAttributeValue");
				entry.put("value", plain);
				entry.put("attributeType", customAttributes.contains(name) ? "directorySchemaExtension" : "builtIn");
				typed.put(name, entry);
			});
			Map<String, Object> signUpInfo = new LinkedHashMap<>();
			signUpInfo.put("attributes", typed);
			signUpInfo.put("identities", java.util.List.of(Map.of("signInType", "email", "issuer", context.tenantId(),
					"issuerAssignedId", email)));
			JsonNode answer = call(attached.extension(), envelope("attributeCollectionSubmit",
					"microsoft.graph.onAttributeCollectionSubmitCalloutData", attached, context, trace,
					Map.of("userSignUpInfo", signUpInfo)), trace);
			JsonNode action = singleAction(answer, "microsoft.graph.onAttributeCollectionSubmitResponseData", trace);
			String type = action.path("@odata.type").asString("");
			return switch (type.toLowerCase(java.util.Locale.ROOT)) {
				case "microsoft.graph.attributecollectionsubmit.continuewithdefaultbehavior" ->
					new SubmitOutcome(SubmitOutcome.Action.CONTINUE, Map.of(), null, Map.of());
				case "microsoft.graph.attributecollectionsubmit.modifyattributevalues" -> {
					if (!action.path("attributes").isObject()) {
						throw new ExtensionFailure(1003012, "modifyAttributeValues needs an attributes object", trace.correlationId);
					}
					yield new SubmitOutcome(SubmitOutcome.Action.MODIFY,
							this.json.treeToValue(action.get("attributes"), Map.class), null, Map.of());
				}
				case "microsoft.graph.attributecollectionsubmit.showvalidationerror" -> {
					Map<String, String> errors = new LinkedHashMap<>();
					action.path("attributeErrors").properties().forEach(e -> errors.put(e.getKey(), e.getValue().asString("")));
					yield new SubmitOutcome(SubmitOutcome.Action.VALIDATION_ERROR, Map.of(),
							action.path("message").asString(null), errors);
				}
				case "microsoft.graph.attributecollectionsubmit.showblockpage" ->
					new SubmitOutcome(SubmitOutcome.Action.BLOCK, Map.of(), action.path("message").asString(null), Map.of());
				default -> throw new ExtensionFailure(1003012, "'" + type + "' is not an attributeCollectionSubmit action",
						trace.correlationId);
			};
		});
	}

	/** What a password submit extension decided about a password Foyer could not check itself. */
	public record PasswordOutcome(Action action, String title, String message) {

		/** Entra's four actions. */
		public enum Action {
			/** The password is right: Foyer stores it and the sign-in goes on. */
			MIGRATE,
			/** The password is right but must be replaced: Foyer stores it and asks for a new one. */
			UPDATE,
			/** The password is wrong. */
			RETRY,
			/** The sign-in must not go on: a block page with the extension's message. */
			BLOCK
		}

	}

	/**
	 * The password submit event (just-in-time migration from another system): the password travels only inside
	 * {@code encryptedPasswordContext}, a JWE to the extension's key, with a nonce the answer must echo in
	 * {@code data.nonce}. Throws {@link ExtensionFailure} when the call or its answer fails.
	 */
	public PasswordOutcome passwordSubmit(Extensions.Attached attached, SignInContext context, String password) {
		return observed(attached, "passwordSubmit", trace -> {
			String nonce = UUID.randomUUID().toString();
			JsonNode answer = call(attached.extension(), envelope("passwordSubmit", "microsoft.graph.onPasswordSubmitCalloutData",
					attached, context, trace, Map.of("encryptedPasswordContext",
							PasswordEncryption.encrypt(attached.extension(), password, nonce))), trace);
			JsonNode action = singleAction(answer, "microsoft.graph.onPasswordSubmitResponseData", trace);
			// The nonce proves the answer is to this request and from the holder of the key.
			String echoed = answer.path("data").path("nonce").asString(action.path("nonce").asString(""));
			if (!nonce.equals(echoed)) {
				throw new ExtensionFailure(1003003, "data.nonce does not echo the request's nonce", trace.correlationId);
			}
			String type = action.path("@odata.type").asString("");
			String title = action.path("title").asString(null);
			String message = action.path("message").asString(null);
			return switch (type.toLowerCase(java.util.Locale.ROOT)) {
				case "microsoft.graph.passwordsubmit.migratepassword" ->
					new PasswordOutcome(PasswordOutcome.Action.MIGRATE, title, message);
				case "microsoft.graph.passwordsubmit.updatepassword" ->
					new PasswordOutcome(PasswordOutcome.Action.UPDATE, title, message);
				case "microsoft.graph.passwordsubmit.retry" -> new PasswordOutcome(PasswordOutcome.Action.RETRY, title, message);
				case "microsoft.graph.passwordsubmit.block" -> new PasswordOutcome(PasswordOutcome.Action.BLOCK, title, message);
				default -> throw new ExtensionFailure(1003012, "'" + type + "' is not a passwordSubmit action", trace.correlationId);
			};
		});
	}

	/** One row per call, never a body: the admin API lists them (newest first), housekeeping drops them after 30 days. */
	private void record(CustomExtension extension, String event, Trace trace, ExtensionFailure failure) {
		try {
			this.jdbc.sql("""
					insert into extension_call (id, tenant_id, extension_id, event, started_at, duration_ms, succeeded,
					    http_status, error_code, attempts, correlation_id)
					values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
				.params(UUID.randomUUID().toString(), extension.tenantId(), extension.id(), event,
						java.sql.Timestamp.from(trace.startedAt), (int) ((System.nanoTime() - trace.started) / 1_000_000),
						failure == null, trace.httpStatus, failure == null ? null : failure.code(), trace.attempts,
						trace.correlationId)
				.update();
		}
		catch (RuntimeException ex) {
			// The record is for admins; a sign-in never fails because it could not be written.
			log.warn("Could not record the call to extension {}: {}", extension.id(), ex.toString());
		}
	}

	/** One recorded call, as the admin API lists it. */
	public record Call(String correlationId, String event, Instant startedAt, int durationMillis, boolean succeeded,
			Integer httpStatus, Integer errorCode, int attempts) {
	}

	/** The extension's newest calls first, at most {@code limit}. */
	public java.util.List<Call> calls(String tenantId, String extensionId, int limit) {
		return this.jdbc.sql("""
				select * from extension_call where tenant_id = ? and extension_id = ? order by started_at desc, id
				limit ?""")
			.params(tenantId, extensionId, limit)
			.query((rs, n) -> new Call(rs.getString("correlation_id"), rs.getString("event"),
					rs.getTimestamp("started_at").toInstant(), rs.getInt("duration_ms"), rs.getBoolean("succeeded"),
					(Integer) rs.getObject("http_status"), (Integer) rs.getObject("error_code"), rs.getInt("attempts")))
			.list();
	}

	private void countFailure(CustomExtension extension) {
		this.breakers.compute(extension.id(), (id, before) -> {
			int failures = (before == null ? 0 : before.failures()) + 1;
			return new Breaker(failures, failures >= BREAKER_THRESHOLD ? Instant.now().plus(BREAKER_OPEN_FOR) : null);
		});
	}

	/**
	 * A test call for the admin API: the extension's event with a sample person (and, by event, a sample email, code,
	 * attributes or password), and what the extension decided, or how it failed. It counts for the circuit breaker
	 * and is recorded like any call.
	 */
	public TestResult test(CustomExtension extension, String clientId) {
		Map<String, Object> user = new LinkedHashMap<>();
		user.put("id", "00000000-0000-0000-0000-000000000000");
		user.put("displayName", "Test User");
		user.put("givenName", "Test");
		user.put("surname", "User");
		user.put("mail", TEST_EMAIL);
		user.put("userPrincipalName", TEST_EMAIL);
		user.put("userType", "Member");
		Extensions.Attached attached = new Extensions.Attached(new EventListener("test", extension.tenantId(),
				EventListener.listenerTypeOf(extension.odataType()), extension.id(), java.util.List.of(), null), extension);
		SignInContext context = new SignInContext(extension.tenantId(), clientId, "127.0.0.1", "en-us", user);
		long started = System.nanoTime();
		try {
			Map<String, Object> claims = Map.of();
			Map<String, Object> answer = new LinkedHashMap<>();
			switch (extension.odataType()) {
				case CustomExtension.TOKEN_ISSUANCE_START -> {
					claims = tokenIssuanceStart(attached, context);
					answer.put("action", "provideClaimsForToken");
					answer.put("claims", claims);
				}
				case CustomExtension.ATTRIBUTE_COLLECTION_START -> {
					StartOutcome outcome = attributeCollectionStart(attached, context, TEST_EMAIL);
					answer.put("action", outcome.blockMessage() != null ? "showBlockPage"
							: outcome.prefill().isEmpty() ? "continueWithDefaultBehavior" : "setPrefillValues");
					answer.put("inputs", outcome.prefill());
					answer.put("message", outcome.blockMessage());
				}
				case CustomExtension.ATTRIBUTE_COLLECTION_SUBMIT -> {
					SubmitOutcome outcome = attributeCollectionSubmit(attached, context, TEST_EMAIL,
							Map.of("givenName", "Test", "surname", "User", "displayName", "Test User"), java.util.Set.of());
					answer.put("action", switch (outcome.action()) {
						case CONTINUE -> "continueWithDefaultBehavior";
						case MODIFY -> "modifyAttributeValues";
						case VALIDATION_ERROR -> "showValidationError";
						case BLOCK -> "showBlockPage";
					});
					answer.put("attributes", outcome.attributes());
					answer.put("message", outcome.message());
					answer.put("attributeErrors", outcome.attributeErrors());
				}
				case CustomExtension.OTP_SEND -> {
					emailOtpSend(attached, context, TEST_EMAIL, "000000");
					answer.put("action", "continueWithDefaultBehavior");
				}
				case CustomExtension.PASSWORD_SUBMIT -> {
					PasswordOutcome outcome = passwordSubmit(attached, context, TEST_PASSWORD);
					answer.put("action", switch (outcome.action()) {
						case MIGRATE -> "MigratePassword";
						case UPDATE -> "UpdatePassword";
						case RETRY -> "Retry";
						case BLOCK -> "Block";
					});
					answer.put("title", outcome.title());
					answer.put("message", outcome.message());
				}
				default -> throw new IllegalStateException("No test call for " + extension.odataType());
			}
			return new TestResult(true, null, null, claims, answer, (System.nanoTime() - started) / 1_000_000);
		}
		catch (ExtensionFailure failure) {
			return new TestResult(false, failure.code(), failure.getMessage(), Map.of(), Map.of(),
					(System.nanoTime() - started) / 1_000_000);
		}
	}

	/** The sample person's address in test calls. */
	public static final String TEST_EMAIL = "test.user@example.com";

	/** The sample password a test call of a password submit extension encrypts. */
	public static final String TEST_PASSWORD = "Sample-Password-1";

	/**
	 * The outcome of a test call: {@code answer} is the extension's decision in Entra's terms ({@code action} and its
	 * fields); {@code claims} the claims a token issuance start extension provided.
	 */
	public record TestResult(boolean succeeded, Integer errorCode, String message, Map<String, Object> claims,
			Map<String, Object> answer, long durationMillis) {
	}

	private Map<String, Object> claims(Extensions.Attached attached, SignInContext context, Trace trace) {
		CustomExtension extension = attached.extension();
		String correlationId = trace.correlationId;
		Map<String, Object> body = envelope("tokenIssuanceStart", "microsoft.graph.onTokenIssuanceStartCalloutData", attached,
				context, trace, Map.of());
		JsonNode answer = call(extension, body, trace);
		JsonNode action = singleAction(answer, "microsoft.graph.onTokenIssuanceStartResponseData", trace);
		if (!"microsoft.graph.tokenIssuanceStart.provideClaimsForToken".equals(action.path("@odata.type").asString(null))
				|| !action.path("claims").isObject()) {
			throw new ExtensionFailure(1003012, "the action must be microsoft.graph.tokenIssuanceStart.provideClaimsForToken"
					+ " with a claims object", correlationId);
		}
		Map<String, Object> claims = new LinkedHashMap<>();
		for (String name : extension.claims()) {
			JsonNode value = action.get("claims").get(name);
			if (value != null && !value.isNull()) {
				claims.put(name, this.json.treeToValue(value, Object.class));
			}
		}
		return claims;
	}

	private JsonNode call(CustomExtension extension, Map<String, Object> body, Trace trace) {
		String correlationId = trace.correlationId;
		Breaker breaker = this.breakers.get(extension.id());
		if (breaker != null && breaker.openUntil() != null && Instant.now().isBefore(breaker.openUntil())) {
			throw new ExtensionFailure(CIRCUIT_OPEN, "not called: it failed " + BREAKER_THRESHOLD
					+ " times in a row; next try after " + breaker.openUntil(), correlationId);
		}
		return attempt(extension, body, trace);
	}

	private JsonNode attempt(CustomExtension extension, Map<String, Object> body, Trace trace) {
		String correlationId = trace.correlationId;
		byte[] payload = this.json.writeValueAsBytes(body);
		String token = bearer(extension);
		int attempts = extension.maximumRetries() + 1;
		ExtensionFailure last = null;
		long started = System.nanoTime();
		for (int attempt = 1; attempt <= attempts; attempt++) {
			trace.attempts = attempt;
			HttpRequest request = HttpRequest.newBuilder(URI.create(extension.targetUrl()))
				.timeout(Duration.ofMillis(extension.timeoutMillis()))
				.header("Content-Type", "application/json")
				.header("Authorization", "Bearer " + token)
				.header("client-request-id", correlationId)
				.POST(HttpRequest.BodyPublishers.ofByteArray(payload))
				.build();
			// The timeout bounds the whole exchange, the body too: HttpRequest's own ends with the headers, and an
			// extension could then trickle its answer a byte at a time. A timeout is not retried: the extension may
			// still be working on the first request.
			CompletableFuture<HttpResponse<Optional<byte[]>>> pending = this.http.sendAsync(request,
					BoundedAnswer.upTo(MAX_RESPONSE_BYTES));
			HttpResponse<Optional<byte[]>> response;
			try {
				response = pending.get(extension.timeoutMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				pending.cancel(true);
				throw logged(extension, timedOut(extension, correlationId), attempt, started);
			}
			catch (ExecutionException ex) {
				if (ex.getCause() instanceof HttpTimeoutException) {
					throw logged(extension, timedOut(extension, correlationId), attempt, started);
				}
				last = new ExtensionFailure(1003027, "connection error: " + ex.getCause().getClass().getSimpleName(),
						correlationId);
				continue;
			}
			catch (InterruptedException ex) {
				pending.cancel(true);
				Thread.currentThread().interrupt();
				throw new ExtensionFailure(1003027, "interrupted", correlationId);
			}
			trace.httpStatus = response.statusCode();
			if (response.statusCode() >= 500) {
				last = new ExtensionFailure(1003002, "HTTP status " + response.statusCode(), correlationId);
				continue;
			}
			if (response.statusCode() != 200) {
				throw logged(extension, new ExtensionFailure(1003002, "HTTP status " + response.statusCode() + " (200 expected)",
						correlationId), attempt, started);
			}
			String type = response.headers().firstValue("Content-Type").orElse("");
			if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
				throw logged(extension, new ExtensionFailure(1003006, "Content-Type '" + type + "' (application/json expected)",
						correlationId), attempt, started);
			}
			if (response.body().isEmpty()) {
				throw logged(extension, new ExtensionFailure(1003024, "answer larger than " + MAX_RESPONSE_BYTES + " bytes",
						correlationId), attempt, started);
			}
			try {
				JsonNode answer = this.json.readTree(response.body().get());
				log.info("Extension {} ({}) answered 200 in {} ms, attempt {}, correlation {}", extension.id(),
						extension.displayName(), (System.nanoTime() - started) / 1_000_000, attempt, correlationId);
				return answer;
			}
			catch (RuntimeException ex) {
				throw logged(extension, new ExtensionFailure(1003003, "the answer is not JSON", correlationId), attempt, started);
			}
		}
		throw logged(extension, last, attempts, started);
	}

	private static ExtensionFailure timedOut(CustomExtension extension, String correlationId) {
		return new ExtensionFailure(1003005, "no answer within " + extension.timeoutMillis() + " ms", correlationId);
	}

	private static ExtensionFailure logged(CustomExtension extension, ExtensionFailure failure, int attempts, long started) {
		log.warn("Extension {} ({}) failed after {} attempt(s) in {} ms: {}, correlation {}", extension.id(),
				extension.displayName(), attempts, (System.nanoTime() - started) / 1_000_000, failure.getMessage(),
				failure.correlationId());
		return failure;
	}

	/** A short-lived token for the extension, signed with the tenant's RS256 key (published in its JWKS). */
	private String bearer(CustomExtension extension) {
		ActiveKey key = this.keys.activeKey(extension.tenantId(), SigningAlgorithm.RS256);
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(this.baseUrl.issuer(extension.tenantId()))
			.audience(extension.resourceId())
			.claim("azp", FOYER_CLIENT_ID)
			.claim("appid", FOYER_CLIENT_ID)
			.issueTime(Date.from(now))
			.notBeforeTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.jwtID(UUID.randomUUID().toString())
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm().jws()).keyID(key.kid())
			.type(JOSEObjectType.JWT)
			.build(), claims);
		try {
			jwt.sign(key.signer());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not sign the extension's bearer token", ex);
		}
		return jwt.serialize();
	}

}

package dev.foyer.extension;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.foyer.attribute.CustomAttribute;
import dev.foyer.attribute.CustomAttributes;
import dev.foyer.audit.AuditLog;
import dev.foyer.cluster.CacheChanges;
import dev.foyer.cluster.NodeCache;
import dev.foyer.tenant.TenantDeletedEvent;
import dev.foyer.web.ApiException;
import dev.foyer.web.FieldChecks;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant's custom authentication extensions and event listeners, configured with Microsoft Graph's bodies so that
 * an Entra admin's scripts port with little change: token issuance start, attribute collection start and submit,
 * email OTP send and password submit. Other Graph types are refused with a clear message.
 */
@Service
public class Extensions {

	static final int MIN_TIMEOUT = 200;

	static final int MAX_TIMEOUT = 10_000;

	static final int MAX_EXTENSIONS = 100;

	private static final String HTTP_ENDPOINT = "#microsoft.graph.httpRequestEndpoint";

	private static final String TOKEN_AUTHENTICATION = "#microsoft.graph.azureAdTokenAuthentication";

	private static final String CONTINUE_ON_ERROR = "#microsoft.graph.fallbackToMicrosoftProviderOnError";

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final AuditLog audit;

	private final CustomAttributes attributes;

	/**
	 * Each tenant's listeners, by tenant id: every sign-in, sign-up and token asks which apply, and they change
	 * rarely. Every write to {@code event_listener} says so, which drops the tenant's entry on every node.
	 */
	private final NodeCache<List<EventListener>> listeners;

	public Extensions(JdbcClient jdbc, JsonMapper json, AuditLog audit, CustomAttributes attributes, CacheChanges changes) {
		this.listeners = changes.cache("event-listeners");
		this.jdbc = jdbc;
		this.json = json;
		this.audit = audit;
		this.attributes = attributes;
	}

	// ---- extensions ---------------------------------------------------------------------------------------------

	@Transactional
	public CustomExtension create(String tenantId, JsonNode body) {
		long count = this.jdbc.sql("select count(*) from custom_extension where tenant_id = ?").param(tenantId).query(Long.class).single();
		if (count >= MAX_EXTENSIONS) {
			throw ApiException.conflict("A tenant has at most " + MAX_EXTENSIONS + " custom authentication extensions");
		}
		CustomExtension extension = checked(tenantId, UUID.randomUUID().toString(), body, null);
		Instant now = Instant.now();
		this.jdbc.sql("""
				insert into custom_extension (id, tenant_id, odata_type, definition, created_at, updated_at)
				values (?, ?, ?, ?, ?, ?)""")
			.params(extension.id(), tenantId, extension.odataType(), this.json.writeValueAsString(extension),
					Timestamp.from(now), Timestamp.from(now))
			.update();
		this.audit.record(tenantId, "extension.create", "customAuthenticationExtension", extension.id(), null, extension);
		return extension;
	}

	@Transactional
	public CustomExtension update(String tenantId, String id, JsonNode body) {
		CustomExtension before = get(tenantId, id);
		CustomExtension after = checked(tenantId, id, body, before);
		this.jdbc.sql("update custom_extension set definition = ?, updated_at = ? where tenant_id = ? and id = ?")
			.params(this.json.writeValueAsString(after), Timestamp.from(Instant.now()), tenantId, id)
			.update();
		this.audit.record(tenantId, "extension.update", "customAuthenticationExtension", id, before, after);
		return after;
	}

	@Transactional
	public void delete(String tenantId, String id) {
		CustomExtension before = get(tenantId, id);
		this.jdbc.sql("delete from event_listener where tenant_id = ? and extension_id = ?").params(tenantId, id).update();
		this.listeners.changed(tenantId);
		this.jdbc.sql("delete from extension_call where tenant_id = ? and extension_id = ?").params(tenantId, id).update();
		this.jdbc.sql("delete from custom_extension where tenant_id = ? and id = ?").params(tenantId, id).update();
		this.audit.record(tenantId, "extension.delete", "customAuthenticationExtension", id, before, null);
	}

	public List<CustomExtension> list(String tenantId) {
		return this.jdbc.sql("select definition from custom_extension where tenant_id = ? order by created_at, id")
			.param(tenantId)
			.query(this::extension)
			.list();
	}

	public Optional<CustomExtension> find(String tenantId, String id) {
		return this.jdbc.sql("select definition from custom_extension where tenant_id = ? and id = ?")
			.params(tenantId, id)
			.query(this::extension)
			.optional();
	}

	public CustomExtension get(String tenantId, String id) {
		return find(tenantId, id).orElseThrow(() -> ApiException.notFound("Custom authentication extension"));
	}

	private CustomExtension extension(ResultSet rs, int row) throws SQLException {
		return this.json.readValue(rs.getString("definition"), CustomExtension.class);
	}

	/** The extension from a Graph body; on PATCH ({@code before} given) absent parts stay as they were. */
	private CustomExtension checked(String tenantId, String id, JsonNode body, CustomExtension before) {
		if (body == null || !body.isObject()) {
			throw ApiException.invalid("body", "must be a JSON object");
		}
		FieldChecks checks = new FieldChecks();
		String type = text(body, "@odata.type");
		if (before == null && (type == null || !CustomExtension.TYPES.contains(type))) {
			checks.problem("@odata.type", type == null ? "is required"
					: "'" + type + "' is not supported yet; Foyer supports " + String.join(" and ", CustomExtension.TYPES));
		}
		else if (before != null && type != null && !type.equals(before.odataType())) {
			checks.problem("@odata.type", "cannot change; create another extension instead");
		}
		String displayName = body.has("displayName") || before == null
				? checks.text("displayName", text(body, "displayName"), 256, true) : before.displayName();
		String description = body.has("description") ? checks.text("description", text(body, "description"), 1024, false)
				: before == null ? null : before.description();

		String targetUrl = before == null ? null : before.targetUrl();
		JsonNode endpoint = body.get("endpointConfiguration");
		if (endpoint != null || before == null) {
			if (endpoint == null || !endpoint.isObject()) {
				checks.problem("endpointConfiguration", "is required: {\"@odata.type\": \"" + HTTP_ENDPOINT + "\", \"targetUrl\": ...}");
			}
			else {
				if (!HTTP_ENDPOINT.equals(text(endpoint, "@odata.type"))) {
					checks.problem("endpointConfiguration.@odata.type", "must be " + HTTP_ENDPOINT);
				}
				targetUrl = targetUrl(checks, text(endpoint, "targetUrl"));
			}
		}
		String resourceId = before == null ? null : before.resourceId();
		JsonNode authentication = body.get("authenticationConfiguration");
		if (authentication != null || before == null) {
			if (authentication == null || !authentication.isObject()) {
				checks.problem("authenticationConfiguration",
						"is required: {\"@odata.type\": \"" + TOKEN_AUTHENTICATION + "\", \"resourceId\": ...}");
			}
			else {
				if (!TOKEN_AUTHENTICATION.equals(text(authentication, "@odata.type"))) {
					checks.problem("authenticationConfiguration.@odata.type", "must be " + TOKEN_AUTHENTICATION);
				}
				resourceId = checks.text("authenticationConfiguration.resourceId", text(authentication, "resourceId"), 500, true);
			}
		}
		int timeout = before == null ? 1000 : before.timeoutMillis();
		int retries = before == null ? 1 : before.maximumRetries();
		JsonNode client = body.get("clientConfiguration");
		if (client != null) {
			if (!client.isObject()) {
				checks.problem("clientConfiguration", "must be an object");
			}
			else {
				timeout = checks.range("clientConfiguration.timeoutInMilliseconds", integer(checks, client, "timeoutInMilliseconds"),
						MIN_TIMEOUT, MAX_TIMEOUT, timeout);
				retries = checks.range("clientConfiguration.maximumRetries", integer(checks, client, "maximumRetries"), 0, 2, retries);
			}
		}
		boolean otpSend = CustomExtension.OTP_SEND.equals(before == null ? type : before.odataType());
		// An OTP send extension always falls back to Foyer's own mail: an error shown only when a code was due would
		// tell whether an address has an account.
		boolean continueOnError = before == null ? otpSend : before.continueOnError();
		if (otpSend && body.has("behaviorOnError") && !CONTINUE_ON_ERROR.equals(text(body.get("behaviorOnError"), "@odata.type"))) {
			checks.problem("behaviorOnError", "an OTP send extension always falls back to Foyer's mail: leave it out or use "
					+ CONTINUE_ON_ERROR);
		}
		else if (!CustomExtension.TOKEN_ISSUANCE_START.equals(before == null ? type : before.odataType())
				&& body.has("claimsForTokenConfiguration")) {
			checks.problem("claimsForTokenConfiguration", "applies to token issuance start extensions only");
		}
		else if (body.has("behaviorOnError")) {
			JsonNode behavior = body.get("behaviorOnError");
			String behaviorType = behavior == null || behavior.isNull() ? null : text(behavior, "@odata.type");
			if (behavior != null && !behavior.isNull() && !CONTINUE_ON_ERROR.equals(behaviorType)) {
				checks.problem("behaviorOnError", "must be null (end the sign-in) or {\"@odata.type\": \"" + CONTINUE_ON_ERROR + "\"}");
			}
			continueOnError = CONTINUE_ON_ERROR.equals(behaviorType);
		}
		List<String> claims = before == null ? List.of() : before.claims();
		JsonNode claimsNode = body.get("claimsForTokenConfiguration");
		if (claimsNode != null) {
			claims = new ArrayList<>();
			if (!claimsNode.isArray() || claimsNode.size() > 50) {
				checks.problem("claimsForTokenConfiguration", "must be a list of at most 50 {\"claimIdInApiResponse\": ...}");
			}
			else {
				for (int i = 0; i < claimsNode.size(); i++) {
					String claim = checks.text("claimsForTokenConfiguration[" + i + "].claimIdInApiResponse",
							text(claimsNode.get(i), "claimIdInApiResponse"), 100, true);
					if (claim != null && RESERVED_CLAIMS.contains(claim)) {
						checks.problem("claimsForTokenConfiguration[" + i + "].claimIdInApiResponse",
								"'" + claim + "' is a protocol claim; an extension cannot set it");
					}
					else if (claim != null) {
						claims.add(claim);
					}
				}
			}
		}
		String encryptionKey = before == null ? null : before.encryptionKey();
		boolean passwordSubmit = CustomExtension.PASSWORD_SUBMIT.equals(before == null ? type : before.odataType());
		if (body.has("encryptionKey") || passwordSubmit && before == null) {
			if (!passwordSubmit) {
				checks.problem("encryptionKey", "applies to password submit extensions only");
			}
			else {
				encryptionKey = PasswordEncryption.checkedKey(checks, "encryptionKey", text(body, "encryptionKey"));
			}
		}
		checks.throwIfAny();
		return new CustomExtension(id, tenantId, before == null ? type : before.odataType(), displayName, description,
				targetUrl, resourceId, timeout, retries, continueOnError, List.copyOf(claims), encryptionKey);
	}

	/** Claims the protocol owns: an extension's answer never replaces them. */
	static final List<String> RESERVED_CLAIMS = List.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti", "auth_time", "nonce",
			"acr", "amr", "azp", "sid", "at_hash", "c_hash", "client_id", "scope", "cnf", "typ");

	/** https, or http to a loopback host only (an extension on the same machine, or a test). */
	private static String targetUrl(FieldChecks checks, String value) {
		String url = checks.text("endpointConfiguration.targetUrl", value, 2000, true);
		if (url == null) {
			return null;
		}
		try {
			URI uri = new URI(url);
			String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
			String host = uri.getHost() == null ? "" : uri.getHost();
			boolean loopback = host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
			if (!scheme.equals("https") && !(scheme.equals("http") && loopback) || host.isEmpty() || uri.getFragment() != null
					|| uri.getUserInfo() != null) {
				checks.problem("endpointConfiguration.targetUrl",
						"must be an absolute https URL (http only to localhost, 127.0.0.1 or [::1]) without credentials or fragment");
			}
		}
		catch (java.net.URISyntaxException ex) {
			checks.problem("endpointConfiguration.targetUrl", "is not a URL");
		}
		return url;
	}

	// ---- listeners ----------------------------------------------------------------------------------------------

	@Transactional
	public EventListener createListener(String tenantId, JsonNode body) {
		EventListener listener = checkedListener(tenantId, UUID.randomUUID().toString(), body);
		this.jdbc.sql("""
				insert into event_listener (id, tenant_id, odata_type, extension_id, definition, created_at)
				values (?, ?, ?, ?, ?, ?)""")
			.params(listener.id(), tenantId, listener.odataType(), listener.extensionId(), this.json.writeValueAsString(listener),
					Timestamp.from(Instant.now()))
			.update();
		this.listeners.changed(tenantId);
		this.audit.record(tenantId, "eventListener.create", "authenticationEventListener", listener.id(), null, listener);
		return listener;
	}

	/**
	 * Graph's PATCH of a listener: {@code conditions} and {@code handler} given replace the listener's own; the
	 * {@code @odata.type} stays.
	 */
	@Transactional
	public EventListener updateListener(String tenantId, String id, JsonNode body) {
		EventListener before = listener(tenantId, id);
		if (body == null || !body.isObject()) {
			throw ApiException.invalid("body", "must be a JSON object");
		}
		String type = text(body, "@odata.type");
		if (type != null && !type.equals(before.odataType())) {
			throw ApiException.invalid("@odata.type", "cannot change; create another listener instead");
		}
		tools.jackson.databind.node.ObjectNode merged = this.json.valueToTree(graph(before));
		body.properties().forEach(field -> {
			if (field.getKey().equals("conditions") || field.getKey().equals("handler")) {
				merged.set(field.getKey(), field.getValue());
			}
		});
		EventListener after = checkedListener(tenantId, id, merged);
		this.jdbc.sql("update event_listener set extension_id = ?, definition = ? where tenant_id = ? and id = ?")
			.params(after.extensionId(), this.json.writeValueAsString(after), tenantId, id)
			.update();
		this.listeners.changed(tenantId);
		this.audit.record(tenantId, "eventListener.update", "authenticationEventListener", id, before, after);
		return after;
	}

	private EventListener checkedListener(String tenantId, String id, JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ApiException.invalid("body", "must be a JSON object");
		}
		FieldChecks checks = new FieldChecks();
		String type = text(body, "@odata.type");
		List<String> kinds = type == null ? null : EventListener.TYPES.get(type);
		if (kinds == null) {
			checks.problem("@odata.type", type == null ? "is required"
					: "'" + type + "' is not supported yet; Foyer supports " + String.join(" and ", EventListener.TYPES.keySet()));
		}
		JsonNode handler = body.get("handler");
		String extensionId = null;
		if (kinds != null) {
			if (handler == null || !handler.isObject() || !kinds.get(0).equals(text(handler, "@odata.type"))) {
				checks.problem("handler", "must be {\"@odata.type\": \"" + kinds.get(0) + "\", \"customExtension\": {\"id\": ...}}");
			}
			else {
				extensionId = handler.get("customExtension") == null ? null : text(handler.get("customExtension"), "id");
				Optional<CustomExtension> extension = extensionId == null ? Optional.empty() : find(tenantId, extensionId);
				if (extension.isEmpty()) {
					checks.problem("handler.customExtension.id", "is not a custom authentication extension of this tenant");
				}
				else if (!kinds.get(1).equals(extension.get().odataType())) {
					checks.problem("handler.customExtension.id", "is not a " + kinds.get(1) + " extension");
				}
			}
		}
		String migrationPropertyId = null;
		if (EventListener.PASSWORD_SUBMIT.equals(type) && handler != null && handler.isObject()) {
			migrationPropertyId = text(handler, "migrationPropertyId");
			Optional<CustomAttribute> flag = migrationPropertyId == null ? Optional.empty()
					: this.attributes.find(tenantId, migrationPropertyId);
			if (flag.isEmpty() || flag.get().dataType() != CustomAttribute.DataType.booleanValue) {
				checks.problem("handler.migrationPropertyId",
						"must name a boolean custom attribute of this tenant: it flags the accounts still to migrate");
			}
		}
		else if (handler != null && handler.has("migrationPropertyId")) {
			checks.problem("handler.migrationPropertyId", "applies to password submit listeners only");
		}
		List<String> apps = new ArrayList<>();
		JsonNode include = Optional.ofNullable(body.get("conditions"))
			.map(c -> c.get("applications"))
			.map(a -> a.get("includeApplications"))
			.orElse(null);
		if (include != null) {
			if (!include.isArray() || include.size() > 100) {
				checks.problem("conditions.applications.includeApplications", "must be a list of at most 100 {\"appId\": ...}");
			}
			else {
				for (int i = 0; i < include.size(); i++) {
					String appId = checks.text("conditions.applications.includeApplications[" + i + "].appId",
							text(include.get(i), "appId"), 100, true);
					if (appId != null && this.jdbc.sql("select count(*) from application where tenant_id = ? and client_id = ?")
						.params(tenantId, appId).query(Long.class).single() == 0) {
						checks.problem("conditions.applications.includeApplications[" + i + "].appId",
								"is not the appId (client id) of an application of this tenant");
					}
					apps.add(appId);
				}
			}
		}
		checks.throwIfAny();
		return new EventListener(id, tenantId, type, extensionId, List.copyOf(apps), migrationPropertyId);
	}

	@Transactional
	public void deleteListener(String tenantId, String id) {
		EventListener before = listener(tenantId, id);
		this.jdbc.sql("delete from event_listener where tenant_id = ? and id = ?").params(tenantId, id).update();
		this.listeners.changed(tenantId);
		this.audit.record(tenantId, "eventListener.delete", "authenticationEventListener", id, before, null);
	}

	/** The tenant's listeners in creation order, from memory (callers pass tenant ids that exist). */
	public List<EventListener> listeners(String tenantId) {
		return this.listeners.get(tenantId, key -> Optional.of(List.copyOf(this.jdbc
			.sql("select definition from event_listener where tenant_id = ? order by created_at, id")
			.param(tenantId)
			.query((rs, n) -> this.json.readValue(rs.getString("definition"), EventListener.class))
			.list()))).orElseThrow();
	}

	// Every node hears of a deleted tenant for itself; its listeners went with it.
	@org.springframework.context.event.EventListener
	void tenantDeleted(TenantDeletedEvent event) {
		this.listeners.forgetIf(event.tenantId()::equals);
	}

	public EventListener listener(String tenantId, String id) {
		return listeners(tenantId).stream()
			.filter(l -> l.id().equals(id))
			.findFirst()
			.orElseThrow(() -> ApiException.notFound("Authentication event listener"));
	}

	/** The first listener of the token issuance start event that applies to the app, with its extension. */
	public Optional<Attached> tokenIssuanceStart(String tenantId, String clientId) {
		return attached(tenantId, clientId, EventListener.TOKEN_ISSUANCE_START);
	}

	/**
	 * The first listener of the email OTP send event that applies to the app (with no app, as on pages no app started,
	 * only a listener for every app applies), with its extension.
	 */
	public Optional<Attached> emailOtpSend(String tenantId, String clientId) {
		return attached(tenantId, clientId, EventListener.EMAIL_OTP_SEND);
	}

	/** The first listener of the attribute collection start event that applies to the app, with its extension. */
	public Optional<Attached> attributeCollectionStart(String tenantId, String clientId) {
		return attached(tenantId, clientId, EventListener.ATTRIBUTE_COLLECTION_START);
	}

	/** The first listener of the attribute collection submit event that applies to the app, with its extension. */
	public Optional<Attached> attributeCollectionSubmit(String tenantId, String clientId) {
		return attached(tenantId, clientId, EventListener.ATTRIBUTE_COLLECTION_SUBMIT);
	}

	/**
	 * The first listener of the password submit event that applies to the app, with its extension: it migrates the
	 * accounts its {@code migrationPropertyId} attribute flags.
	 */
	public Optional<Attached> passwordSubmit(String tenantId, String clientId) {
		return attached(tenantId, clientId, EventListener.PASSWORD_SUBMIT);
	}

	/** The flag attributes of the tenant's password submit listeners, whatever app they apply to. */
	public List<String> migrationFlags(String tenantId) {
		return listeners(tenantId).stream()
			.filter(l -> EventListener.PASSWORD_SUBMIT.equals(l.odataType()) && l.migrationPropertyId() != null)
			.map(EventListener::migrationPropertyId)
			.distinct()
			.toList();
	}

	private Optional<Attached> attached(String tenantId, String clientId, String listenerType) {
		for (EventListener listener : listeners(tenantId)) {
			if (listenerType.equals(listener.odataType()) && listener.appliesTo(clientId)) {
				Optional<CustomExtension> extension = find(tenantId, listener.extensionId());
				if (extension.isPresent()) {
					return Optional.of(new Attached(listener, extension.get()));
				}
			}
		}
		return Optional.empty();
	}

	/** A listener and the extension it calls. */
	public record Attached(EventListener listener, CustomExtension extension) {
	}

	// ---- Graph shapes -------------------------------------------------------------------------------------------

	/** The extension as Graph shows it. */
	public static Map<String, Object> graph(CustomExtension e) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("@odata.type", e.odataType());
		out.put("id", e.id());
		out.put("displayName", e.displayName());
		out.put("description", e.description());
		out.put("endpointConfiguration", Map.of("@odata.type", HTTP_ENDPOINT, "targetUrl", e.targetUrl()));
		out.put("authenticationConfiguration", Map.of("@odata.type", TOKEN_AUTHENTICATION, "resourceId", e.resourceId()));
		out.put("clientConfiguration", Map.of("timeoutInMilliseconds", e.timeoutMillis(), "maximumRetries", e.maximumRetries()));
		out.put("behaviorOnError", e.continueOnError() ? Map.of("@odata.type", CONTINUE_ON_ERROR) : null);
		out.put("claimsForTokenConfiguration", e.claims().stream().map(c -> Map.of("claimIdInApiResponse", c)).toList());
		if (e.encryptionKey() != null) {
			out.put("encryptionKey", e.encryptionKey());
		}
		return out;
	}

	/** The listener as Graph shows it. */
	public static Map<String, Object> graph(EventListener l) {
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("@odata.type", l.odataType());
		out.put("id", l.id());
		out.put("conditions", Map.of("applications",
				Map.of("includeApplications", l.includeApplications().stream().map(a -> Map.of("appId", a)).toList())));
		Map<String, Object> handler = new LinkedHashMap<>();
		handler.put("@odata.type", l.handlerType());
		if (l.migrationPropertyId() != null) {
			handler.put("migrationPropertyId", l.migrationPropertyId());
		}
		handler.put("customExtension", Map.of("id", l.extensionId()));
		out.put("handler", handler);
		return out;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node == null ? null : node.get(field);
		return value == null || value.isNull() ? null : value.isString() ? value.asString() : value.toString();
	}

	private static Integer integer(FieldChecks checks, JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isIntegralNumber() || !value.canConvertToInt()) {
			checks.problem("clientConfiguration." + field, "must be a whole number");
			return null;
		}
		return value.asInt();
	}

}

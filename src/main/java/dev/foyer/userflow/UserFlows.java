package dev.foyer.userflow;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.foyer.attribute.CustomAttributes;
import dev.foyer.audit.AuditLog;
import dev.foyer.cluster.CacheChanges;
import dev.foyer.cluster.NodeCache;
import dev.foyer.tenant.TenantDeletedEvent;
import dev.foyer.web.ApiException;
import dev.foyer.web.FieldChecks;

import tools.jackson.databind.json.JsonMapper;

/** A tenant's user flows (sign-up and sign-in, password reset, profile edit), and which one applies where. */
@Service
public class UserFlows {

	static final int MAX_ATTRIBUTES = 30;

	/** Built-in attributes a sign-up page can collect (email and password are always collected). */
	public static final List<String> COLLECTABLE_BUILT_INS = List.of("displayName", "givenName", "surname", "streetAddress",
			"city", "state", "postalCode", "country", "jobTitle", "companyName");

	private static final Pattern TEXT_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,99}");

	private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2}(-[A-Z]{2})?");

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final AuditLog audit;

	private final CustomAttributes attributes;

	/**
	 * Each tenant's flows, from memory: every sign-in read the tenant's default flow three times (the page, the post,
	 * the password step), a statement each. At most this many tenants.
	 */
	private final NodeCache<List<UserFlow>> flows;

	private static final int CACHED_TENANTS = 10_000;

	public UserFlows(JdbcClient jdbc, JsonMapper json, AuditLog audit, CustomAttributes attributes, CacheChanges changes) {
		this.flows = changes.cache("user-flows", CACHED_TENANTS);
		this.jdbc = jdbc;
		this.json = json;
		this.audit = audit;
		this.attributes = attributes;
	}

	/** The body of POST and PATCH; on PATCH absent fields stay as they are. */
	public record Definition(String kind, String displayName, Boolean isDefault, List<String> signInMethods,
			Boolean selfServiceSignUp, List<UserFlow.CollectedAttribute> attributes, List<String> editableAttributes,
			Boolean enabled, Map<String, Map<String, String>> texts) {
	}

	private record Config(List<String> signInMethods, boolean selfServiceSignUp, List<UserFlow.CollectedAttribute> attributes,
			List<String> editableAttributes, Boolean enabled, Map<String, Map<String, String>> texts) {
	}

	@Transactional
	public UserFlow create(String tenantId, Definition given) {
		String kind = given.kind() == null ? UserFlow.SIGN_UP_OR_SIGN_IN : given.kind();
		if (!UserFlow.KINDS.contains(kind)) {
			throw ApiException.invalid("kind", "must be one of " + String.join(", ", UserFlow.KINDS));
		}
		UserFlow flow = checked(tenantId, null, given, UserFlow.builtInDefault(tenantId, kind));
		if (flow.isDefault()) {
			clearDefault(tenantId, kind);
		}
		this.jdbc.sql("""
				insert into user_flow (id, tenant_id, kind, display_name, is_default, config, created_at, updated_at)
				values (?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(flow.id(), tenantId, flow.kind(), flow.displayName(), flow.isDefault(), config(flow),
					Timestamp.from(flow.createdAt()), Timestamp.from(flow.updatedAt()))
			.update();
		this.flows.changed(tenantId);
		this.audit.record(tenantId, "userflow.create", "userflow", flow.id(), null, flow);
		return flow;
	}

	@Transactional
	public UserFlow update(String tenantId, String id, Definition given) {
		UserFlow before = get(tenantId, id);
		if (given.kind() != null && !given.kind().equals(before.kind())) {
			throw ApiException.invalid("kind", "cannot change; create a flow of the other kind instead");
		}
		UserFlow after = checked(tenantId, before, given, before);
		if (after.isDefault() && !before.isDefault()) {
			clearDefault(tenantId, before.kind());
		}
		this.jdbc.sql("update user_flow set display_name = ?, is_default = ?, config = ?, updated_at = ? where tenant_id = ? and id = ?")
			.params(after.displayName(), after.isDefault(), config(after), Timestamp.from(after.updatedAt()), tenantId, id)
			.update();
		this.flows.changed(tenantId);
		this.audit.record(tenantId, "userflow.update", "userflow", id, before, after);
		return after;
	}

	@Transactional
	public void delete(String tenantId, String id) {
		UserFlow before = get(tenantId, id);
		this.jdbc.sql("update application set user_flow_id = null where tenant_id = ? and user_flow_id = ?").params(tenantId, id).update();
		this.jdbc.sql("delete from user_flow where tenant_id = ? and id = ?").params(tenantId, id).update();
		this.flows.changed(tenantId);
		this.audit.record(tenantId, "userflow.delete", "userflow", id, before, null);
	}

	/** The tenant's flows by display name, from memory. */
	public List<UserFlow> list(String tenantId) {
		return this.flows.get(tenantId, key -> Optional.of(List.copyOf(this.jdbc
			.sql("select * from user_flow where tenant_id = ? order by display_name, id")
			.param(tenantId)
			.query(this::map)
			.list()))).orElseThrow();
	}

	public Optional<UserFlow> find(String tenantId, String id) {
		return list(tenantId).stream().filter(flow -> flow.id().equals(id)).findFirst();
	}

	// Every node hears of a deleted tenant for itself; its flows went with it.
	@EventListener
	void tenantDeleted(TenantDeletedEvent event) {
		this.flows.forgetIf(event.tenantId()::equals);
	}

	public UserFlow get(String tenantId, String id) {
		return find(tenantId, id).orElseThrow(() -> ApiException.notFound("User flow"));
	}

	/** The flow an app's sign-up and sign-in go through: its own, else the tenant's default, else the built-in one. */
	public UserFlow flowFor(String tenantId, String userFlowId) {
		if (userFlowId != null) {
			Optional<UserFlow> own = find(tenantId, userFlowId).filter(f -> UserFlow.SIGN_UP_OR_SIGN_IN.equals(f.kind()));
			if (own.isPresent()) {
				return own.get();
			}
		}
		return defaultOf(tenantId, UserFlow.SIGN_UP_OR_SIGN_IN);
	}

	/** The password reset flow: whether the sign-in pages offer reset, and its page texts. */
	public UserFlow passwordReset(String tenantId) {
		return defaultOf(tenantId, UserFlow.PASSWORD_RESET);
	}

	/** The profile edit flow: which attributes the account page lets people edit, and its labels. */
	public UserFlow profileEdit(String tenantId) {
		return defaultOf(tenantId, UserFlow.PROFILE_EDIT);
	}

	/** Whether an app may link to this flow: only sign-up and sign-in flows are per app. */
	public boolean isSignUpOrSignIn(String tenantId, String id) {
		return find(tenantId, id).filter(f -> UserFlow.SIGN_UP_OR_SIGN_IN.equals(f.kind())).isPresent();
	}

	private UserFlow defaultOf(String tenantId, String kind) {
		return list(tenantId).stream()
			.filter(flow -> flow.isDefault() && flow.kind().equals(kind))
			.findFirst()
			.orElseGet(() -> UserFlow.builtInDefault(tenantId, kind));
	}

	private void clearDefault(String tenantId, String kind) {
		this.jdbc.sql("update user_flow set is_default = false where tenant_id = ? and kind = ?").params(tenantId, kind).update();
	}

	private UserFlow checked(String tenantId, UserFlow before, Definition given, UserFlow base) {
		FieldChecks checks = new FieldChecks();
		String kind = base.kind();
		boolean signUp = UserFlow.SIGN_UP_OR_SIGN_IN.equals(kind);
		notFor(checks, kind, !signUp, "signInMethods", given.signInMethods());
		notFor(checks, kind, !signUp, "selfServiceSignUp", given.selfServiceSignUp());
		notFor(checks, kind, !signUp, "attributes", given.attributes());
		notFor(checks, kind, !UserFlow.PROFILE_EDIT.equals(kind), "editableAttributes", given.editableAttributes());
		notFor(checks, kind, !UserFlow.PASSWORD_RESET.equals(kind), "enabled", given.enabled());
		checks.throwIfAny();
		String name = given.displayName() == null && before != null ? before.displayName()
				: checks.text("displayName", given.displayName(), 256, true);
		List<String> methods = given.signInMethods() == null ? base.signInMethods() : given.signInMethods();
		if (signUp && methods.isEmpty()) {
			checks.problem("signInMethods", "needs at least one sign-in method");
		}
		for (String method : methods) {
			if (!UserFlow.EMAIL_PASSWORD.equals(method) && !UserFlow.EMAIL_OTP.equals(method)) {
				checks.problem("signInMethods", "'" + method + "' is not a sign-in method; use " + UserFlow.EMAIL_PASSWORD
						+ " or " + UserFlow.EMAIL_OTP);
			}
		}
		List<UserFlow.CollectedAttribute> collected = given.attributes() == null ? base.attributes() : given.attributes();
		if (collected.size() > MAX_ATTRIBUTES) {
			checks.problem("attributes", "at most " + MAX_ATTRIBUTES + " attributes");
		}
		List<UserFlow.CollectedAttribute> accepted = new ArrayList<>();
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < collected.size(); i++) {
			UserFlow.CollectedAttribute attribute = collected.get(i);
			String field = "attributes[" + i + "]";
			if (attribute == null || attribute.name() == null || !isAttribute(tenantId, attribute.name())) {
				checks.problem(field + ".name", "is not a collectable built-in or declared custom attribute");
				continue;
			}
			if (!seen.add(attribute.name())) {
				checks.problem(field + ".name", "is listed twice");
				continue;
			}
			String label = checks.text(field + ".label", attribute.label(), 256, false);
			accepted.add(new UserFlow.CollectedAttribute(attribute.name(), attribute.isRequired(), label));
		}
		List<String> editable = given.editableAttributes() == null ? base.editableAttributes() : given.editableAttributes();
		for (String attribute : editable) {
			if (attribute == null || !isAttribute(tenantId, attribute)) {
				checks.problem("editableAttributes", "'" + attribute + "' is not a collectable built-in or declared custom attribute");
			}
		}
		Map<String, Map<String, String>> texts = given.texts() == null ? base.texts() : checkTexts(checks, given.texts());
		checks.throwIfAny();
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		return new UserFlow(before == null ? UUID.randomUUID().toString() : before.id(), tenantId, kind, name,
				given.isDefault() == null ? before != null && before.isDefault() : given.isDefault(), List.copyOf(methods),
				given.selfServiceSignUp() == null ? base.selfServiceSignUp() : given.selfServiceSignUp(), List.copyOf(accepted),
				List.copyOf(editable), given.enabled() == null ? base.enabled() : given.enabled(), texts,
				before == null ? now : before.createdAt(), now);
	}

	private boolean isAttribute(String tenantId, String name) {
		return COLLECTABLE_BUILT_INS.contains(name) || this.attributes.find(tenantId, name).isPresent();
	}

	/** A field of another kind of flow: refused, so that a setting never silently does nothing. */
	private static void notFor(FieldChecks checks, String kind, boolean refused, String field, Object value) {
		if (refused && value != null) {
			checks.problem(field, "does not apply to a " + kind + " flow");
		}
	}

	private static Map<String, Map<String, String>> checkTexts(FieldChecks checks, Map<String, Map<String, String>> given) {
		Map<String, Map<String, String>> texts = new LinkedHashMap<>();
		given.forEach((language, entries) -> {
			if (!LANGUAGE.matcher(language).matches() || entries == null) {
				checks.problem("texts." + language, "must be a language tag such as en or fr-CA with its texts");
				return;
			}
			Map<String, String> clean = new LinkedHashMap<>();
			entries.forEach((key, value) -> {
				if (!TEXT_KEY.matcher(key).matches()) {
					checks.problem("texts." + language + "." + key, "is not a text key");
					return;
				}
				String text = checks.text("texts." + language + "." + key, value, 1000, true);
				if (text != null) {
					clean.put(key, text);
				}
			});
			texts.put(language, clean);
		});
		return texts;
	}

	private String config(UserFlow flow) {
		return this.json.writeValueAsString(new Config(flow.signInMethods(), flow.selfServiceSignUp(), flow.attributes(),
				flow.editableAttributes(), flow.enabled(), flow.texts()));
	}

	private UserFlow map(ResultSet rs, int row) throws SQLException {
		Config config = this.json.readValue(rs.getString("config"), Config.class);
		return new UserFlow(rs.getString("id"), rs.getString("tenant_id"), rs.getString("kind"), rs.getString("display_name"),
				rs.getBoolean("is_default"), config.signInMethods() == null ? List.of() : config.signInMethods(),
				config.selfServiceSignUp(), config.attributes() == null ? List.of() : config.attributes(),
				config.editableAttributes() == null ? List.of() : config.editableAttributes(),
				config.enabled() == null || config.enabled(), config.texts() == null ? Map.of() : config.texts(),
				rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}

}

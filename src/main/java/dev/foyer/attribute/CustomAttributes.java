package dev.foyer.attribute;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.foyer.audit.AuditLog;
import dev.foyer.bulk.TableCopy;
import dev.foyer.cluster.CacheChanges;
import dev.foyer.cluster.NodeCache;
import dev.foyer.tenant.TenantDeletedEvent;
import dev.foyer.web.ApiException;
import dev.foyer.web.FieldChecks;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tenant's custom attributes: their declarations (at most {@value #MAX_PER_TENANT}) and the values accounts hold.
 * Values are validated on every write, whoever writes them; callers pass their own transaction.
 */
@Service
public class CustomAttributes {

	public static final int MAX_PER_TENANT = 100;

	private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

	/** Built-in attribute names a custom one may not shadow. */
	public static final Set<String> BUILT_IN = Set.of("id", "email", "password", "displayName", "givenName", "surname",
			"streetAddress", "city", "state", "postalCode", "country", "jobTitle", "companyName", "accountEnabled",
			"emailVerified", "accountType");

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final AuditLog audit;

	private final JdbcTemplate batches;

	/**
	 * Each tenant's declarations, in name order, from memory: an admin search, a sign-up and a token with mapped
	 * claims read them, and a query for them was a fifth of an admin search's CPU. At most this many tenants.
	 */
	private final NodeCache<List<CustomAttribute>> declared;

	private static final int CACHED_TENANTS = 10_000;

	public CustomAttributes(JdbcClient jdbc, JdbcTemplate batches, JsonMapper json, AuditLog audit, CacheChanges changes) {
		this.declared = changes.cache("custom-attributes", CACHED_TENANTS);
		this.jdbc = jdbc;
		this.batches = batches;
		this.json = json;
		this.audit = audit;
	}

	public record Declaration(String name, String label, String description, String dataType, String inputControl,
			Boolean required, Integer maxLength, String pattern, List<String> allowedValues) {
	}

	@Transactional
	public CustomAttribute declare(String tenantId, Declaration given) {
		FieldChecks checks = new FieldChecks();
		String name = given.name();
		if (name == null || !NAME.matcher(name).matches()) {
			checks.problem("name", "must be a letter followed by up to 63 letters, digits or underscores");
		}
		else if (BUILT_IN.contains(name)) {
			checks.problem("name", "'" + name + "' is a built-in attribute");
		}
		String type = checks.oneOf("dataType", given.dataType(), CustomAttribute.DataType.wireNames(), true);
		CustomAttribute.DataType dataType = type == null ? CustomAttribute.DataType.string : CustomAttribute.DataType.fromWireName(type);
		String control = checks.oneOf("inputControl", given.inputControl() == null ? defaultControl(dataType) : given.inputControl(),
				CustomAttribute.InputControl.names(), true);
		CustomAttribute.InputControl inputControl = control == null ? CustomAttribute.InputControl.textBox
				: CustomAttribute.InputControl.valueOf(control);
		Settings settings = settings(checks, given, dataType, inputControl);
		checks.throwIfAny();
		if (find(tenantId, name).isPresent()) {
			throw ApiException.conflict("The tenant already has an attribute named '" + name + "'");
		}
		if (list(tenantId).size() >= MAX_PER_TENANT) {
			throw ApiException.conflict("A tenant has at most " + MAX_PER_TENANT + " custom attributes");
		}
		Instant now = now();
		CustomAttribute attribute = new CustomAttribute(UUID.randomUUID().toString(), tenantId, name, settings.label(),
				settings.description(), dataType, inputControl, Boolean.TRUE.equals(given.required()), settings.maxLength(),
				settings.pattern(), settings.allowedValues(), now, now);
		this.jdbc.sql("""
				insert into custom_attribute (id, tenant_id, name, label, description, data_type, input_control, required,
				    max_length, pattern, allowed_values, created_at, updated_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(attribute.id(), tenantId, name, attribute.label(), attribute.description(), dataType.wireName(),
					inputControl.name(), attribute.required(), attribute.maxLength(), attribute.pattern(),
					attribute.allowedValues() == null ? null : this.json.writeValueAsString(attribute.allowedValues()),
					Timestamp.from(now), Timestamp.from(now))
			.update();
		this.declared.changed(tenantId);
		this.audit.record(tenantId, "attribute.create", "attribute", attribute.id(), null, attribute);
		return attribute;
	}

	/** Changes what may change: label, description, required, length, pattern, allowed values. */
	@Transactional
	public CustomAttribute update(String tenantId, String name, Declaration given) {
		CustomAttribute before = get(tenantId, name);
		FieldChecks checks = new FieldChecks();
		if (given.name() != null && !given.name().equals(name) || given.dataType() != null
				&& !given.dataType().equals(before.dataType().wireName())) {
			checks.problem(given.name() != null && !given.name().equals(name) ? "name" : "dataType",
					"cannot be changed; declare a new attribute instead");
		}
		Declaration merged = new Declaration(name, given.label() == null ? before.label() : given.label(),
				given.description() == null ? before.description() : given.description(), before.dataType().wireName(),
				before.inputControl().name(), given.required() == null ? before.required() : given.required(),
				given.maxLength() == null ? before.maxLength() : given.maxLength(),
				given.pattern() == null ? before.pattern() : given.pattern(),
				given.allowedValues() == null ? before.allowedValues() : given.allowedValues());
		Settings settings = settings(checks, merged, before.dataType(), before.inputControl());
		checks.throwIfAny();
		CustomAttribute after = new CustomAttribute(before.id(), tenantId, name, settings.label(), settings.description(),
				before.dataType(), before.inputControl(), Boolean.TRUE.equals(merged.required()), settings.maxLength(),
				settings.pattern(), settings.allowedValues(), before.createdAt(), now());
		this.jdbc.sql("""
				update custom_attribute set label = ?, description = ?, required = ?, max_length = ?, pattern = ?,
				    allowed_values = ?, updated_at = ? where tenant_id = ? and id = ?""")
			.params(after.label(), after.description(), after.required(), after.maxLength(), after.pattern(),
					after.allowedValues() == null ? null : this.json.writeValueAsString(after.allowedValues()),
					Timestamp.from(after.updatedAt()), tenantId, before.id())
			.update();
		this.declared.changed(tenantId);
		this.audit.record(tenantId, "attribute.update", "attribute", before.id(), before, after);
		return after;
	}

	/** Removes the declaration and every account's value of it. */
	@Transactional
	public void delete(String tenantId, String name) {
		CustomAttribute before = get(tenantId, name);
		this.jdbc.sql("delete from custom_attribute where tenant_id = ? and id = ?").params(tenantId, before.id()).update();
		this.declared.changed(tenantId);
		this.audit.record(tenantId, "attribute.delete", "attribute", before.id(), before, null);
	}

	/** The tenant's declarations in name order, from memory. */
	public List<CustomAttribute> list(String tenantId) {
		return this.declared.get(tenantId, key -> Optional.of(List.copyOf(this.jdbc
			.sql("select * from custom_attribute where tenant_id = ? order by name")
			.param(tenantId)
			.query(this::map)
			.list()))).orElseThrow();
	}

	public Optional<CustomAttribute> find(String tenantId, String name) {
		return list(tenantId).stream().filter(attribute -> attribute.name().equals(name)).findFirst();
	}

	// Every node hears of a deleted tenant for itself; its declarations went with it.
	@EventListener
	void tenantDeleted(TenantDeletedEvent event) {
		this.declared.forgetIf(event.tenantId()::equals);
	}

	public CustomAttribute get(String tenantId, String name) {
		return find(tenantId, name).orElseThrow(() -> ApiException.notFound("Attribute"));
	}

	/**
	 * Validates given values against the tenant's declarations. Every unknown name and every bad value is a field
	 * problem {@code attributes.<name>}; a null value means "remove".
	 */
	public Map<CustomAttribute, List<String>> check(FieldChecks checks, String tenantId, Map<String, ?> given) {
		if (given == null || given.isEmpty()) {
			return new LinkedHashMap<>();
		}
		return check(checks, declarations(tenantId), given);
	}

	/** The tenant's declarations by name, read once for checking many accounts' values (an import). */
	public Map<String, CustomAttribute> declarations(String tenantId) {
		Map<String, CustomAttribute> declared = new HashMap<>();
		list(tenantId).forEach(a -> declared.put(a.name(), a));
		return declared;
	}

	/** As {@link #check(FieldChecks, String, Map)}, against declarations already read. */
	public Map<CustomAttribute, List<String>> check(FieldChecks checks, Map<String, CustomAttribute> declared,
			Map<String, ?> given) {
		Map<CustomAttribute, List<String>> checked = new LinkedHashMap<>();
		if (given == null || given.isEmpty()) {
			return checked;
		}
		given.forEach((name, value) -> {
			CustomAttribute attribute = declared.get(name);
			String field = "attributes." + name;
			if (attribute == null) {
				checks.problem(field, "is not a declared attribute of this tenant");
			}
			else if (value == null || (value instanceof Collection<?> c && c.isEmpty())) {
				checked.put(attribute, List.of());
			}
			else {
				List<String> values = AttributeValueChecks.canonical(checks, field, attribute, value);
				if (values != null) {
					checked.put(attribute, values);
				}
			}
		});
		return checked;
	}

	/** Replaces the values of the given attributes (an empty list removes them), in the caller's transaction. */
	public void write(String tenantId, String accountId, Map<CustomAttribute, List<String>> values) {
		values.forEach((attribute, list) -> {
			this.jdbc.sql("delete from account_attribute where tenant_id = ? and account_id = ? and attribute_id = ?")
				.params(tenantId, accountId, attribute.id())
				.update();
			for (String value : list) {
				this.jdbc.sql("insert into account_attribute (account_id, attribute_id, tenant_id, attr_value) values (?, ?, ?, ?)")
					.params(accountId, attribute.id(), tenantId, value)
					.update();
			}
		});
	}

	/** The columns of a value row, in the order {@link #writeNew} writes them. */
	private static final List<String> VALUE_COLUMNS = List.of("account_id", "attribute_id", "tenant_id", "attr_value");

	/**
	 * Inserts the values of accounts created in the caller's transaction (an import's batch): on PostgreSQL with one
	 * COPY (the accounts are new, so no row can conflict), elsewhere a thousand rows per statement. A statement per
	 * value would cost the database many times more.
	 */
	public void writeNew(String tenantId, Map<String, Map<CustomAttribute, List<String>>> valuesByAccount) {
		List<Object[]> rows = new ArrayList<>();
		valuesByAccount.forEach((accountId, values) -> values.forEach((attribute, list) -> {
			for (String value : list) {
				rows.add(new Object[] { accountId, attribute.id(), tenantId, value });
			}
		}));
		if (rows.isEmpty()) {
			return;
		}
		this.batches.execute((ConnectionCallback<Void>) connection -> {
			if (TableCopy.supported(connection)) {
				try (TableCopy copy = TableCopy.into(connection, "account_attribute", VALUE_COLUMNS)) {
					for (Object[] row : rows) {
						copy.row(row);
					}
					copy.finish();
				}
				return null;
			}
			for (int from = 0; from < rows.size(); from += 1000) {
				List<Object[]> some = rows.subList(from, Math.min(rows.size(), from + 1000));
				try (PreparedStatement statement = connection.prepareStatement("insert into account_attribute ("
						+ String.join(", ", VALUE_COLUMNS) + ") values "
						+ String.join(", ", java.util.Collections.nCopies(some.size(), "(?, ?, ?, ?)")))) {
					int index = 1;
					for (Object[] row : some) {
						for (Object value : row) {
							statement.setString(index++, (String) value);
						}
					}
					statement.executeUpdate();
				}
			}
			return null;
		});
	}

	/** The custom attribute values of these accounts, typed, by account id then attribute name. */
	public Map<String, Map<String, Object>> valuesOf(String tenantId, Collection<String> accountIds) {
		Map<String, Map<String, Object>> out = new HashMap<>();
		if (accountIds.isEmpty()) {
			return out;
		}
		Map<String, CustomAttribute> byId = new HashMap<>();
		list(tenantId).forEach(a -> byId.put(a.id(), a));
		this.jdbc.sql("select account_id, attribute_id, attr_value from account_attribute where tenant_id = :tenant and account_id in (:ids) order by attr_value")
			.param("tenant", tenantId)
			.param("ids", List.copyOf(accountIds))
			.query((rs, n) -> {
				CustomAttribute attribute = byId.get(rs.getString(2));
				if (attribute != null) {
					Map<String, Object> values = out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>());
					Object typed = AttributeValueChecks.typed(attribute, rs.getString(3));
					if (attribute.multiValued()) {
						@SuppressWarnings("unchecked")
						List<Object> list = (List<Object>) values.computeIfAbsent(attribute.name(), k -> new ArrayList<>());
						list.add(typed);
					}
					else {
						values.put(attribute.name(), typed);
					}
				}
				return null;
			})
			.list();
		return out;
	}

	/** Accounts holding exactly this value of this attribute. */
	public List<String> accountsWith(String tenantId, String name, String value) {
		CustomAttribute attribute = find(tenantId, name)
			.orElseThrow(() -> ApiException.invalid("attribute", "is not a declared attribute of this tenant"));
		FieldChecks checks = new FieldChecks();
		List<String> canonical = AttributeValueChecks.canonical(checks, "value", attribute,
				attribute.multiValued() ? List.of(value) : value);
		checks.throwIfAny();
		return this.jdbc.sql("select account_id from account_attribute where tenant_id = ? and attribute_id = ? and attr_value = ?")
			.params(tenantId, attribute.id(), canonical.get(0))
			.query(String.class)
			.list();
	}

	private record Settings(String label, String description, Integer maxLength, String pattern, List<String> allowedValues) {
	}

	private Settings settings(FieldChecks checks, Declaration given, CustomAttribute.DataType type,
			CustomAttribute.InputControl control) {
		String label = checks.text("label", given.label() == null ? given.name() : given.label(), 256, true);
		String description = checks.text("description", given.description(), 1024, false);
		Integer maxLength = null;
		if (given.maxLength() != null) {
			maxLength = checks.range("maxLength", given.maxLength(), 1, AttributeValueChecks.MAX_LENGTH, AttributeValueChecks.MAX_LENGTH);
			if (type != CustomAttribute.DataType.string) {
				checks.problem("maxLength", "applies to string attributes only");
			}
		}
		String pattern = checks.text("pattern", given.pattern(), 500, false);
		if (pattern != null && (type != CustomAttribute.DataType.string || !AttributeValueChecks.validPattern(pattern))) {
			checks.problem("pattern", type != CustomAttribute.DataType.string ? "applies to string attributes only"
					: "is not a valid regular expression");
		}
		List<String> allowed = null;
		boolean selects = control == CustomAttribute.InputControl.radioSingleSelect
				|| control == CustomAttribute.InputControl.checkboxMultiSelect;
		if (given.allowedValues() != null && !given.allowedValues().isEmpty()) {
			allowed = new ArrayList<>();
			for (String value : given.allowedValues()) {
				String clean = checks.text("allowedValues", value, AttributeValueChecks.MAX_LENGTH, true);
				if (clean != null && !allowed.contains(clean)) {
					allowed.add(clean);
				}
			}
			if (allowed.size() > 100) {
				checks.problem("allowedValues", "at most 100 values");
			}
		}
		if (selects && (allowed == null || allowed.isEmpty())) {
			checks.problem("allowedValues", "a " + control + " needs the values to choose from");
		}
		boolean fits = switch (control) {
			case textBox -> type == CustomAttribute.DataType.string || type == CustomAttribute.DataType.date
					|| type == CustomAttribute.DataType.integer;
			case radioSingleSelect, checkboxMultiSelect -> type == CustomAttribute.DataType.string;
			case checkboxSingleSelect -> type == CustomAttribute.DataType.booleanValue;
			case numberBox -> type == CustomAttribute.DataType.integer;
		};
		if (!fits) {
			checks.problem("inputControl", control + " does not suit a " + type.wireName() + " attribute");
		}
		return new Settings(label, description, maxLength, pattern, allowed);
	}

	private static String defaultControl(CustomAttribute.DataType type) {
		return switch (type) {
			case booleanValue -> CustomAttribute.InputControl.checkboxSingleSelect.name();
			case integer -> CustomAttribute.InputControl.numberBox.name();
			default -> CustomAttribute.InputControl.textBox.name();
		};
	}

	private CustomAttribute map(ResultSet rs, int row) throws SQLException {
		String allowed = rs.getString("allowed_values");
		return new CustomAttribute(rs.getString("id"), rs.getString("tenant_id"), rs.getString("name"), rs.getString("label"),
				rs.getString("description"), CustomAttribute.DataType.fromWireName(rs.getString("data_type")),
				CustomAttribute.InputControl.valueOf(rs.getString("input_control")), rs.getBoolean("required"),
				(Integer) rs.getObject("max_length"), rs.getString("pattern"),
				allowed == null ? null : List.copyOf(this.json.readValue(allowed, new TypeReference<List<String>>() {
				})), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
	}

	private static Instant now() {
		return Instant.now().truncatedTo(ChronoUnit.MILLIS);
	}

}

package dev.foyer.attribute;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An attribute a tenant declares for its accounts, beyond the built-in ones.
 *
 * @param name the key in the admin API and in claims mappings: a letter, then letters, digits or underscores
 * @param label what sign-up and profile pages show; a checkbox label may carry a Markdown link
 * @param allowedValues for single- and multi-select controls: the values offered, in order
 */
public record CustomAttribute(String id, String tenantId, String name, String label, String description,
		@JsonIgnore DataType dataType, InputControl inputControl, boolean required, Integer maxLength, String pattern,
		List<String> allowedValues, Instant createdAt, Instant updatedAt) {

	public enum DataType {

		string, integer, booleanValue, date;

		public String wireName() {
			return this == booleanValue ? "boolean" : name();
		}

		public static DataType fromWireName(String name) {
			return "boolean".equals(name) ? booleanValue : valueOf(name);
		}

		public static List<String> wireNames() {
			return java.util.Arrays.stream(values()).map(DataType::wireName).toList();
		}

	}

	/** How a page asks for the value, after Entra External ID's user attribute input types. */
	public enum InputControl {

		textBox, radioSingleSelect, checkboxMultiSelect, checkboxSingleSelect, numberBox;

		public static List<String> names() {
			return java.util.Arrays.stream(values()).map(Enum::name).toList();
		}

	}

	@JsonProperty("dataType")
	public String dataTypeName() {
		return this.dataType.wireName();
	}

	@JsonIgnore
	public boolean multiValued() {
		return this.inputControl == InputControl.checkboxMultiSelect;
	}

}

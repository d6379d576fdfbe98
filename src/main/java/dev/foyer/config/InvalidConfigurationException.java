package dev.foyer.config;

/**
 * A setting that Foyer cannot start with. {@link InvalidConfigurationFailureAnalyzer} turns it into one clear
 * message at start-up instead of a stack trace.
 */
public class InvalidConfigurationException extends RuntimeException {

	private final String setting;

	private final String action;

	public InvalidConfigurationException(String setting, String problem, String action) {
		super(setting + ": " + problem);
		this.setting = setting;
		this.action = action;
	}

	public String setting() {
		return this.setting;
	}

	public String action() {
		return this.action;
	}

}

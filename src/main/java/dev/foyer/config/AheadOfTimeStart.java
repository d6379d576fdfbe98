package dev.foyer.config;

import java.util.Objects;

import org.springframework.aot.AotDetector;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Refuses the settings that the ahead-of-time processed start cannot honour. {@code ./foyer run} starts Foyer with
 * {@code -Dspring.aot.enabled=true}: the beans were decided when the jar was built, which saves about a third of the
 * start time. The one documented setting that changes which beans exist is a separate management port
 * ({@code MANAGEMENT_SERVER_PORT}); with it, Foyer must start without that option (the script does so by itself when
 * the variable is set), and this says so instead of silently serving the actuator on the main port.
 */
public class AheadOfTimeStart implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		Environment environment = event.getEnvironment();
		String managementPort = environment.getProperty("management.server.port");
		if (managementPort != null && !Objects.equals(managementPort, environment.getProperty("server.port"))) {
			throw new InvalidConfigurationException("MANAGEMENT_SERVER_PORT (management.server.port)",
					"a separate management port is decided when the jar is built, and this start uses the beans prepared then"
							+ " (-Dspring.aot.enabled=true)",
					"Start Foyer without -Dspring.aot.enabled=true; ./foyer run leaves it out by itself when"
							+ " MANAGEMENT_SERVER_PORT is set.");
		}
	}

}

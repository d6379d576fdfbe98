package dev.foyer.config;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns the start-up failures an operator can cause (a bad setting, an unreachable database) into one
 * clear message. Spring Boot prints a failure analysis instead of the stack trace.
 */
public class InvalidConfigurationFailureAnalyzer implements FailureAnalyzer {

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		InvalidConfigurationException invalid = find(failure, InvalidConfigurationException.class);
		if (invalid != null) {
			return new FailureAnalysis("Foyer cannot start: " + invalid.getMessage(), invalid.action(), invalid);
		}
		SQLException sql = find(failure, SQLException.class);
		if (sql != null && (find(failure, ConnectException.class) != null
				|| find(failure, UnknownHostException.class) != null || isConnectionState(sql))) {
			return new FailureAnalysis("Foyer cannot start: the database is unreachable (" + sql.getMessage() + ")",
					"Check SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD, "
							+ "and that the database server is running and reachable.",
					sql);
		}
		return null;
	}

	// SQLState class 08 is "connection exception"; 28 is "invalid authorization specification".
	private static boolean isConnectionState(SQLException sql) {
		String state = sql.getSQLState();
		return state != null && (state.startsWith("08") || state.startsWith("28"));
	}

	private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (type.isInstance(t)) {
				return type.cast(t);
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return null;
	}

}

package dev.foyer.config;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.UnsatisfiedDependencyException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns the start-up failures an operator can cause (a bad setting, an unreachable database) into one
 * clear message. Spring Boot prints a failure analysis instead of the stack trace.
 */
public class InvalidConfigurationFailureAnalyzer implements FailureAnalyzer {

	/** H2's error code for a database file another process holds ("Database may be already in use"). */
	private static final int H2_DATABASE_IN_USE = 90020;

	private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		InvalidConfigurationException invalid = find(failure, InvalidConfigurationException.class);
		if (invalid != null) {
			return cannotStart(invalid.getMessage(), invalid.action(), invalid);
		}
		FailureAnalysis badValue = badValue(failure);
		if (badValue != null) {
			return badValue;
		}
		SQLException sql = find(failure, SQLException.class);
		return (sql != null) ? databaseProblem(failure, sql) : null;
	}

	private static FailureAnalysis databaseProblem(Throwable failure, SQLException sql) {
		String state = (sql.getSQLState() != null) ? sql.getSQLState() : "";
		if (sql.getErrorCode() == H2_DATABASE_IN_USE && sql.getClass().getName().startsWith("org.h2.")) {
			Matcher file = QUOTED.matcher(sql.getMessage());
			return cannotStart("the embedded database" + (file.find() ? " " + file.group(1) : "")
					+ " is in use by another process",
					"Stop the other Foyer that runs on this data directory, or give this one a FOYER_DATA_DIR of its own. "
							+ "Nodes that share one database need PostgreSQL (docs/clustering.md).",
					sql);
		}
		// SQLState class 3D is "invalid catalog name": the database named in the URL does not exist.
		if (state.startsWith("3D")) {
			return cannotStart("the database does not exist (" + sql.getMessage() + ")",
					"Create it first (docs/operations.md, \"PostgreSQL\"), or correct the database name in SPRING_DATASOURCE_URL.",
					sql);
		}
		// 42501 is "insufficient privilege": on PostgreSQL 15 and newer, a user that does not own the database.
		if (state.equals("42501")) {
			return cannotStart("the database user may not create or change Foyer's tables (" + sql.getMessage() + ")",
					"Make SPRING_DATASOURCE_USERNAME the owner of the database (ALTER DATABASE foyer OWNER TO foyer; "
							+ "docs/operations.md, \"PostgreSQL\"), or use the user that owns it.",
					sql);
		}
		// Class 08 is "connection exception"; 28 is "invalid authorization specification".
		if (find(failure, ConnectException.class) != null || find(failure, UnknownHostException.class) != null
				|| state.startsWith("08") || state.startsWith("28")) {
			return cannotStart("the database is unreachable (" + sql.getMessage() + ")",
					"Check SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD, "
							+ "and that the database server is running and reachable.",
					sql);
		}
		return null;
	}

	private static FailureAnalysis cannotStart(String description, String action, Throwable cause) {
		return new FailureAnalysis("Foyer cannot start: " + description, action, cause);
	}

	/**
	 * A setting read with {@code @Value} whose text does not convert to its type ({@code FOYER_HOUSEKEEPING_INTERVAL=often}):
	 * the innermost unsatisfied dependency is the annotated parameter, which names the setting.
	 */
	private static FailureAnalysis badValue(Throwable failure) {
		TypeMismatchException mismatch = find(failure, TypeMismatchException.class);
		UnsatisfiedDependencyException innermost = null;
		for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
			if (t instanceof UnsatisfiedDependencyException unsatisfied) {
				innermost = unsatisfied;
			}
		}
		if (mismatch == null || innermost == null || innermost.getInjectionPoint() == null) {
			return null;
		}
		Value annotation = innermost.getInjectionPoint().getAnnotation(Value.class);
		if (annotation == null || !annotation.value().startsWith("${")) {
			return null;
		}
		String property = annotation.value().substring(2).replaceFirst("[:}].*", "");
		String variable = property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
		Class<?> type = mismatch.getRequiredType();
		String expected = (type == int.class || type == Integer.class || type == long.class || type == Long.class) ? "a whole number"
				: (type == Duration.class) ? "a duration (such as 10m, 30s or PT10M)"
						: "a valid " + (type != null ? type.getSimpleName() : "value");
		return cannotStart(variable + " (" + property + "): '" + mismatch.getValue() + "' is not " + expected,
				"Correct " + variable + ", or remove it to use the default (docs/configuration.md).", mismatch);
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

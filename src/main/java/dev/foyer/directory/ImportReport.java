package dev.foyer.directory;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What an import did with each line of its body: {@code read} non-blank lines, of which {@code imported} became
 * accounts, {@code skipped} had an address that already had an account in the tenant (a rerun after an
 * interruption skips what the first run committed), and {@code rejected} were refused. The refused lines are listed
 * with their reasons, the first {@value AccountImport#MAX_LISTED_REJECTIONS} of them; {@code rejectionsNotListed}
 * counts the rest.
 *
 * @param firstLine the number of the body's first line in the caller's file (the request's {@code startLine})
 * @param lastLine the number of the body's last line, blank or not; {@code firstLine - 1} for an empty body
 */
public record ImportReport(long firstLine, long lastLine, long read, long imported, long skipped, long rejected,
		List<Rejection> rejections, long rejectionsNotListed) {

	/** A refused line: its number, its address as given (if it had one), and every problem with it. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Rejection(long line, String email, List<Problem> errors) {
	}

	/** One problem: the field (a JSON path such as {@code attributes.shoeSize}; absent for the whole line) and why. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Problem(String field, String message) {
	}

}

package dev.foyer.admin;

import java.util.List;

/** Every list answer of the admin API: items, and the cursor of the next page where there is one. */
record Listing<T>(List<T> items, String nextCursor) {
}

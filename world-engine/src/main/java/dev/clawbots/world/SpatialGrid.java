package dev.clawbots.world;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A uniform grid over one region that finds the agents near a point without looking at the rest.
 *
 * <p>Cells are square columns on the ground: height is not indexed, because agents spread over the
 * ground far more than they stack up, but it always counts in distances. Positions outside the
 * region's ground are indexed in the nearest edge cell, so an agent crossing a border is still
 * found until it is handed over.
 *
 * <p>Not thread-safe: each region owns its grid and touches it from one thread.
 */
public final class SpatialGrid {

  /** The cell side used by {@link #SpatialGrid()}, in metres. */
  public static final double DEFAULT_CELL_SIZE = 16.0;

  /**
   * Smaller cells are raised to this: finer than an avatar they only cost memory (the cell array
   * grows with the square of the cell count) and make every query walk more cells.
   */
  static final double MIN_CELL_SIZE = 1.0;

  private static final int INITIAL_CELL_CAPACITY = 4;

  private final double cellSize;
  private final int cellsPerSide;
  // One array per cell, allocated on first use: a sparse region costs only the outer array.
  private final Entry[][] cellEntries;
  private final int[] cellCounts;
  private final Map<String, Entry> entries = new HashMap<>();
  // Counts only changes to the cell arrays, which are what a visitor would corrupt.
  private int structuralChanges;

  /** A grid with cells of {@link #DEFAULT_CELL_SIZE} metres. */
  public SpatialGrid() {
    this(DEFAULT_CELL_SIZE);
  }

  /**
   * A grid with square cells of about {@code cellSize} metres; sizes under 1 m are raised to 1 m.
   * Cells near the typical query radius keep queries cheapest.
   *
   * @throws IllegalArgumentException if {@code cellSize} is not finite or not positive
   */
  public SpatialGrid(double cellSize) {
    if (!Double.isFinite(cellSize) || cellSize <= 0) {
      throw new IllegalArgumentException("cell size must be finite and positive: " + cellSize);
    }
    this.cellSize = Math.max(cellSize, MIN_CELL_SIZE);
    this.cellsPerSide = (int) Math.ceil(RegionBounds.SIZE / this.cellSize);
    this.cellEntries = new Entry[cellsPerSide * cellsPerSide][];
    this.cellCounts = new int[cellsPerSide * cellsPerSide];
  }

  /** The side of a cell in metres, after raising sizes under {@link #MIN_CELL_SIZE}. */
  public double cellSize() {
    return cellSize;
  }

  /**
   * Indexes {@code id} at {@code position}, moving it if it is already indexed.
   *
   * @throws NullPointerException if {@code id} or {@code position} is null
   * @throws IllegalArgumentException if {@code position} is not finite, since no query could find
   *     it
   */
  public void put(String id, Vec3 position) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(position, "position");
    if (!position.isFinite()) {
      throw new IllegalArgumentException("position must be finite: " + position);
    }
    int cell = cellIndex(position);
    Entry entry = entries.get(id);
    if (entry == null) {
      entry = new Entry(id, position);
      entries.put(id, entry);
      addToCell(entry, cell);
    } else if (entry.cell == cell) {
      // Most moves stay in their cell; only the position changes.
      entry.position = position;
    } else {
      removeFromCell(entry);
      entry.position = position;
      addToCell(entry, cell);
    }
  }

  /** Forgets {@code id}; returns false if it was not indexed. */
  public boolean remove(String id) {
    Entry entry = entries.remove(id);
    if (entry == null) {
      return false;
    }
    removeFromCell(entry);
    return true;
  }

  /** Whether {@code id} is indexed. */
  public boolean contains(String id) {
    return entries.containsKey(id);
  }

  /** Where {@code id} is, or null if it is not indexed. */
  public Vec3 positionOf(String id) {
    Entry entry = entries.get(id);
    return entry == null ? null : entry.position;
  }

  /** How many ids are indexed. */
  public int size() {
    return entries.size();
  }

  /**
   * Every entry with 3D distance {@code <= radius} from {@code center}, nearest first, ties by id
   * ({@link String#compareTo}). A radius of 0 finds entries exactly at the centre; a negative or
   * NaN radius, or a non-finite centre, finds nothing.
   *
   * @return a new list that the caller owns
   */
  public List<Hit> within(Vec3 center, double radius) {
    return collect(center, radius, Integer.MAX_VALUE, null);
  }

  /**
   * At most {@code k} entries with 3D distance {@code <= radius} from {@code center}, leaving out
   * {@code excludeId} (which may be null), nearest first, ties by id. Returns nothing when {@code k
   * <= 0}; the radius behaves as in {@link #within}.
   *
   * @return a new list that the caller owns
   */
  public List<Hit> nearest(Vec3 center, double radius, int k, String excludeId) {
    return collect(center, radius, k, excludeId);
  }

  /**
   * Calls {@code visitor} for every entry with 3D distance {@code <= radius} from {@code center},
   * in no particular order, without allocating. The radius behaves as in {@link #within}. The
   * visitor may move an entry within its cell but must not add, remove or move entries across
   * cells.
   *
   * @throws ConcurrentModificationException if the visitor changed which cells hold entries
   */
  public void forEachWithin(Vec3 center, double radius, Visitor visitor) {
    Objects.requireNonNull(center, "center");
    Objects.requireNonNull(visitor, "visitor");
    if (!isSearchable(center, radius)) {
      return;
    }
    int expectedChanges = structuralChanges;
    double radiusSquared = radius * radius;
    double reach = cellReach(center, radius);
    int firstRow = cellCoordinate(center.y() - reach);
    int lastRow = cellCoordinate(center.y() + reach);
    for (int row = firstRow; row <= lastRow; row++) {
      double halfWidth = halfWidthInRow(center, reach, row);
      int first = cellCoordinate(center.x() - halfWidth);
      int last = cellCoordinate(center.x() + halfWidth);
      for (int cell = row * cellsPerSide + first, end = row * cellsPerSide + last;
          cell <= end;
          cell++) {
        Entry[] inCell = cellEntries[cell];
        for (int slot = 0, count = cellCounts[cell]; slot < count; slot++) {
          Entry entry = inCell[slot];
          Vec3 position = entry.position;
          double distanceSquared = position.distanceSquaredTo(center);
          if (distanceSquared <= radiusSquared) {
            visitor.visit(entry.id, position, distanceSquared);
            if (structuralChanges != expectedChanges) {
              throw new ConcurrentModificationException("the visitor changed the grid");
            }
          }
        }
      }
    }
  }

  /** Receives the entries found by {@link #forEachWithin}. */
  @FunctionalInterface
  public interface Visitor {
    /** Called once per entry found, with its squared 3D distance from the centre. */
    void visit(String id, Vec3 position, double distanceSquared);
  }

  /** An entry found by a query, with its 3D distance from the query's centre. */
  public record Hit(String id, Vec3 position, double distance) {}

  private List<Hit> collect(Vec3 center, double radius, int k, String excludeId) {
    Objects.requireNonNull(center, "center");
    if (k <= 0 || !isSearchable(center, radius)) {
      return new ArrayList<>();
    }
    Candidates candidates = new Candidates(k);
    double radiusSquared = radius * radius;
    double reach = cellReach(center, radius);
    // Rows are scanned outward from the centre's, so a bounded query fills up with near entries
    // early and can then narrow its reach to the farthest one it keeps, skipping the outer cells.
    int below = cellCoordinate(center.y());
    int above = below + 1;
    boolean scanned = true;
    while (scanned) {
      scanned = false;
      if (below >= cellCoordinate(center.y() - reach)) {
        scanRow(below--, center, reach, radiusSquared, excludeId, candidates);
        reach = narrowedReach(center, reach, candidates);
        scanned = true;
      }
      if (above <= cellCoordinate(center.y() + reach)) {
        scanRow(above++, center, reach, radiusSquared, excludeId, candidates);
        reach = narrowedReach(center, reach, candidates);
        scanned = true;
      }
    }
    return candidates.nearestFirst();
  }

  private void scanRow(
      int row,
      Vec3 center,
      double reach,
      double radiusSquared,
      String excludeId,
      Candidates candidates) {
    double halfWidth = halfWidthInRow(center, reach, row);
    int first = row * cellsPerSide + cellCoordinate(center.x() - halfWidth);
    int last = row * cellsPerSide + cellCoordinate(center.x() + halfWidth);
    for (int cell = first; cell <= last; cell++) {
      Entry[] inCell = cellEntries[cell];
      for (int slot = 0, count = cellCounts[cell]; slot < count; slot++) {
        Entry entry = inCell[slot];
        double distanceSquared = entry.position.distanceSquaredTo(center);
        if (distanceSquared <= radiusSquared && !entry.id.equals(excludeId)) {
          candidates.offer(Math.sqrt(distanceSquared), entry);
        }
      }
    }
  }

  /** Once a bounded query is full, nothing farther than the farthest entry it keeps can get in. */
  private static double narrowedReach(Vec3 center, double reach, Candidates candidates) {
    return candidates.isFull()
        ? Math.min(reach, cellReach(center, candidates.farthestKept()))
        : reach;
  }

  private static boolean isSearchable(Vec3 center, double radius) {
    // !(radius >= 0) also rejects NaN.
    return radius >= 0 && center.isFinite();
  }

  /**
   * How far from the centre, on the ground, a cell must reach to be worth visiting: a little more
   * than the radius, so that rounding in cell bounds and in distances never skips an entry that the
   * exact test {@code distanceSquared <= radius * radius} would accept. The margin, about a
   * millionth of the magnitudes involved, dwarfs double rounding error and costs at most an
   * occasional extra cell.
   */
  private static double cellReach(Vec3 center, double radius) {
    return radius + 1e-6 * (1 + radius + Math.abs(center.x()) + Math.abs(center.y()));
  }

  /**
   * Half the width of the part of {@code row} that a disc of radius {@code reach} around the centre
   * covers: trimming the corners of the bounding square skips about a fifth of its cells.
   */
  private double halfWidthInRow(Vec3 center, double reach, int row) {
    double cy = center.y();
    // Edge rows also hold positions beyond the region, so they reach out without end.
    double bottom = row == 0 ? Double.NEGATIVE_INFINITY : row * cellSize;
    double top = row == cellsPerSide - 1 ? Double.POSITIVE_INFINITY : (row + 1) * cellSize;
    double dy = cy < bottom ? bottom - cy : cy > top ? cy - top : 0;
    return dy >= reach ? 0 : Math.sqrt(reach * reach - dy * dy);
  }

  /** The row or column (cells are square) that holds ground coordinate {@code v}. */
  private int cellCoordinate(double v) {
    // The cast saturates huge and infinite values and the clamp folds them into the edge cells.
    int index = (int) Math.floor(v / cellSize);
    return Math.min(Math.max(index, 0), cellsPerSide - 1);
  }

  private int cellIndex(Vec3 position) {
    return cellCoordinate(position.y()) * cellsPerSide + cellCoordinate(position.x());
  }

  private void addToCell(Entry entry, int cell) {
    Entry[] inCell = cellEntries[cell];
    int count = cellCounts[cell];
    if (inCell == null) {
      inCell = new Entry[INITIAL_CELL_CAPACITY];
      cellEntries[cell] = inCell;
    } else if (count == inCell.length) {
      inCell = Arrays.copyOf(inCell, count * 2);
      cellEntries[cell] = inCell;
    }
    inCell[count] = entry;
    cellCounts[cell] = count + 1;
    entry.cell = cell;
    entry.slot = count;
    structuralChanges++;
  }

  private void removeFromCell(Entry entry) {
    Entry[] inCell = cellEntries[entry.cell];
    int last = cellCounts[entry.cell] - 1;
    // Order within a cell means nothing, so the last entry fills the hole.
    Entry moved = inCell[last];
    inCell[entry.slot] = moved;
    moved.slot = entry.slot;
    inCell[last] = null;
    cellCounts[entry.cell] = last;
    structuralChanges++;
  }

  private static final class Entry {
    final String id;
    Vec3 position;
    int cell;
    int slot;

    Entry(String id, Vec3 position) {
      this.id = id;
      this.position = position;
    }
  }

  /**
   * The entries a query found and their distances, in parallel arrays so that a bounded query makes
   * a {@link Hit} only for the entries it keeps. Once {@code limit} are held they form a max-heap,
   * whose root is the first to give way to a nearer entry.
   */
  private static final class Candidates {
    private static final Comparator<Hit> NEAREST_FIRST = Candidates::compareHits;
    private static final int SMALL_BUCKET = 8;

    private final int limit;
    private double[] distances;
    private Entry[] entries;
    private int size;

    Candidates(int limit) {
      this.limit = limit;
      int initial = Math.min(limit, 64);
      this.distances = new double[initial];
      this.entries = new Entry[initial];
    }

    void offer(double distance, Entry entry) {
      if (size < limit) {
        if (size == distances.length) {
          int grown = (int) Math.min((long) limit, 2L * size);
          distances = Arrays.copyOf(distances, grown);
          entries = Arrays.copyOf(entries, grown);
        }
        distances[size] = distance;
        entries[size] = entry;
        size++;
        if (size == limit) {
          // Heapify only once full: a query that never fills its limit, as within never does,
          // pays for no heap at all.
          for (int i = (size >>> 1) - 1; i >= 0; i--) {
            siftDown(i, distances[i], entries[i]);
          }
        }
      } else if (isNearer(distance, entry, distances[0], entries[0])) {
        siftDown(0, distance, entry);
      }
    }

    /** Puts {@code (distance, entry)} at {@code index} and restores the heap below it. */
    private void siftDown(int index, double distance, Entry entry) {
      int half = size >>> 1;
      while (index < half) {
        int child = 2 * index + 1;
        int right = child + 1;
        if (right < size
            && isNearer(distances[child], entries[child], distances[right], entries[right])) {
          child = right;
        }
        if (!isNearer(distance, entry, distances[child], entries[child])) {
          break;
        }
        distances[index] = distances[child];
        entries[index] = entries[child];
        index = child;
      }
      distances[index] = distance;
      entries[index] = entry;
    }

    boolean isFull() {
      return size == limit;
    }

    /** The farthest entry kept, once {@link #isFull}: the root of the heap. */
    double farthestKept() {
      return distances[0];
    }

    /**
     * The candidates as hits, nearest first. A counting sort on the distance, quantised to about
     * one bucket per hit, puts them in order in expected linear time, and only hits sharing a
     * bucket are then compared: for a few hundred hits this measured at half the cost of a
     * comparison sort, whose time goes mostly to mispredicted branches. Quantising is monotone, so
     * the buckets are already in order; a crowd at one distance merely falls back to a comparison
     * sort of its bucket.
     */
    List<Hit> nearestFirst() {
      double farthest = 0;
      for (int i = 0; i < size; i++) {
        farthest = Math.max(farthest, distances[i]);
      }
      double scale = farthest > 0 && farthest < Double.POSITIVE_INFINITY ? size / farthest : 0;
      int[] buckets = new int[size];
      int[] bucketStarts = new int[size + 1];
      for (int i = 0; i < size; i++) {
        int bucket = Math.min((int) (distances[i] * scale), size - 1);
        buckets[i] = bucket;
        bucketStarts[bucket + 1]++;
      }
      for (int bucket = 0; bucket < size; bucket++) {
        bucketStarts[bucket + 1] += bucketStarts[bucket];
      }
      int[] fill = Arrays.copyOf(bucketStarts, size);
      Hit[] hits = new Hit[size];
      for (int i = 0; i < size; i++) {
        hits[fill[buckets[i]]++] = new Hit(entries[i].id, entries[i].position, distances[i]);
      }
      for (int bucket = 0; bucket < size; bucket++) {
        sortBucket(hits, bucketStarts[bucket], bucketStarts[bucket + 1]);
      }
      return new ArrayList<>(Arrays.asList(hits));
    }

    private static void sortBucket(Hit[] hits, int from, int to) {
      if (to - from > SMALL_BUCKET) {
        Arrays.sort(hits, from, to, NEAREST_FIRST);
        return;
      }
      // Most buckets hold one or two hits, where calling Arrays.sort would cost more than sorting.
      for (int i = from + 1; i < to; i++) {
        Hit hit = hits[i];
        int j = i - 1;
        while (j >= from && compareHits(hit, hits[j]) < 0) {
          hits[j + 1] = hits[j];
          j--;
        }
        hits[j + 1] = hit;
      }
    }

    /** The order of every result: nearest first, then by id so that ties do not depend on luck. */
    private static boolean isNearer(double distance, Entry entry, double than, Entry thanEntry) {
      return distance < than || (distance == than && entry.id.compareTo(thanEntry.id) < 0);
    }

    private static int compareHits(Hit a, Hit b) {
      int byDistance = Double.compare(a.distance(), b.distance());
      return byDistance != 0 ? byDistance : a.id().compareTo(b.id());
    }
  }
}

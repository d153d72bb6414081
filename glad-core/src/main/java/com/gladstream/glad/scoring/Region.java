package com.gladstream.glad.scoring;

/**
 * A connected region of an anomaly map above a threshold, as reported in result events.
 *
 * @param x left column of the bounding box
 * @param y top row of the bounding box
 * @param width bounding box width
 * @param height bounding box height
 * @param peak the largest map value in the region
 * @param area pixels in the region
 */
public record Region(int x, int y, int width, int height, float peak, int area) {}

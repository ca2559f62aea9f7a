#!/usr/bin/env bash
echo summary-to-come

mod priority;

mod history;
mod scripts;

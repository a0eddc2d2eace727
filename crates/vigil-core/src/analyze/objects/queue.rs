//! The detector pool's request queue: bounded, and when full it makes room by dropping its
//! oldest request (a newer picture of a scene is worth more than an older one).

use std::collections::VecDeque;

/// A bounded first-in first-out queue that drops its oldest item to take a new one.
#[derive(Debug)]
pub struct DropOldest<T> {
    items: VecDeque<T>,
    capacity: usize,
}

impl<T> DropOldest<T> {
    /// A queue of at most `capacity` items (at least 1).
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            items: VecDeque::with_capacity(capacity),
            capacity,
        }
    }

    /// Adds `item` at the back; answers the oldest item when it had to go to make room.
    pub fn push(&mut self, item: T) -> Option<T> {
        let dropped = if self.items.len() >= self.capacity {
            self.items.pop_front()
        } else {
            None
        };
        self.items.push_back(item);
        dropped
    }

    /// The oldest item still queued.
    pub fn pop(&mut self) -> Option<T> {
        self.items.pop_front()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Takes every queued item, oldest first.
    pub fn drain(&mut self) -> Vec<T> {
        self.items.drain(..).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_drops_its_oldest_item_and_keeps_the_newest() {
        let mut q = DropOldest::new(3);
        for i in 0..3 {
            assert_eq!(q.push(i), None);
        }
        assert_eq!(q.push(3), Some(0));
        assert_eq!(q.push(4), Some(1));
        assert_eq!(q.len(), 3);
        assert_eq!(q.pop(), Some(2));
        assert_eq!(q.drain(), [3, 4]);
        assert!(q.is_empty());
    }

    #[test]
    fn a_zero_capacity_still_holds_one() {
        let mut q = DropOldest::new(0);
        assert_eq!(q.push('a'), None);
        assert_eq!(q.push('b'), Some('a'));
        assert_eq!(q.pop(), Some('b'));
        assert_eq!(q.pop(), None);
    }
}
